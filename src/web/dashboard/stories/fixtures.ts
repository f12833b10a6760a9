import type { Agent, AgentAccount, AgentMessage, AgentTicket, AgentTicketDetail, AnalyticsResponse, TicketQueueResponse } from '../../../contracts/agents.ts';
import type { InfiniteData } from '@tanstack/react-query';
import type { z } from 'zod';
import type { agentMessagePageSchema } from '../../../contracts/agents.ts';
import type { Suggestion } from '../../../contracts/bot.ts';
import type { ChecklistResponse } from '../../../contracts/checklist.ts';
import type { MetricsSummaryResponse } from '../../../contracts/debug.ts';
import type { AdminFaqEntry } from '../../../contracts/faq.ts';

/**
 * Data for the dashboard's stories, typed by the API contracts (a contract change that the fixtures no
 * longer match fails the type check). Times are relative to when the story loads, so the queue reads
 * "5 minutes ago" rather than a date long past.
 */
type AgentMessagePage = z.infer<typeof agentMessagePageSchema>;
const MINUTE_MS = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE_MS).toISOString();
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 1440 * MINUTE_MS).toISOString().slice(0, 10);

export const storyAgent: Agent = { id: '5b0e7c2a-4a51-4f7b-9a53-0c1d2e3f4a01', email: 'sam@tastyfood.be', name: 'Sam', role: 'admin' };

const ticket = (n: number, fields: Partial<AgentTicket>): AgentTicket => ({
  id: `0c8f6a3e-1b2d-4e5f-8a9b-00000000000${n}`,
  email: `client${n}@example.com`,
  message: 'Bonjour, ma commande est en retard.',
  status: 'open',
  priority: 'normal',
  lang: 'fr',
  order_number: null,
  created_at: ago(60 * n),
  updated_at: ago(5 * n),
  last_agent_reply_at: null,
  resolved_at: null,
  last_message_seq: 1,
  assignee_id: null,
  merged_into: null,
  ...fields,
});

export const storyTickets: AgentTicket[] = [
  ticket(1, { email: 'amina@example.com', message: 'Ma commande TF-1002 est en retard de 40 minutes.', priority: 'urgent', order_number: 'TF-1002', last_message_seq: 3 }),
  ticket(2, { email: 'tom@example.com', message: 'Is the chicken in the wraps halal?', lang: 'en', priority: 'high', status: 'pending' }),
  ticket(3, { email: 'lotte@example.com', message: 'Hebben jullie glutenvrije broodjes?', lang: 'nl', priority: 'low' }),
  ticket(4, { email: 'karim@example.com', message: 'Super service hier soir, merci !', status: 'resolved', resolved_at: ago(30) }),
];

export const storyQueue: TicketQueueResponse = {
  tickets: storyTickets,
  pagination: { page: 1, limit: 20, total: 46, totalPages: 3 },
};

export const storyEmptyQueue: TicketQueueResponse = { tickets: [], pagination: { page: 1, limit: 20, total: 0, totalPages: 0 } };

const firstTicket = storyTickets[0]!;
const message = (seq: number, author_type: AgentMessage['author_type'], body: string, minutesAgo: number): AgentMessage => ({
  id: `9d1e2f3a-4b5c-4d6e-8f7a-00000000000${seq}`,
  request_id: firstTicket.id,
  author_type,
  body,
  client_id: null,
  seq,
  created_at: ago(minutesAgo),
  agent_id: author_type === 'agent' ? storyAgent.id : null,
});

export const storyTicketDetail: AgentTicketDetail = {
  ticket: firstTicket,
  messages: [
    message(3, 'user', 'Ma commande TF-1002 est en retard de 40 minutes.', 60),
    message(4, 'bot', 'Je transmets votre demande à un membre de l’équipe.', 59),
    message(5, 'agent', 'Votre livreur arrive dans 5 minutes, toutes nos excuses.', 4),
  ],
  hasMore: true,
  nextCursor: 'story-cursor',
  timeline: [
    { type: 'priority', id: 'a1:priority', created_at: ago(58), agent: null, from: 'high', to: 'urgent' },
    { type: 'assignment', id: 'a2', created_at: ago(10), agent: { id: storyAgent.id, name: 'Sam' }, from: null, to: { id: storyAgent.id, name: 'Sam' }, reason: null },
    { type: 'note', id: 'a3', created_at: ago(9), agent: { id: storyAgent.id, name: 'Sam' }, body: 'Livreur appelé : il est à deux rues.' },
  ],
  order: {
    number: 'TF-1002',
    email: firstTicket.email,
    status: 'out_for_delivery',
    eta: ago(-5),
    items: [
      { name: 'Menu Crispy Chicken', qty: 2, price: 12.9 },
      { name: 'Tiramisu', qty: 1, price: 4.5 },
    ],
    events: [
      { status: 'received', at: ago(75), note: null },
      { status: 'preparing', at: ago(70), note: null },
      { status: 'out_for_delivery', at: ago(20), note: 'Livreur : Youssef' },
    ],
    created_at: ago(75),
    updated_at: ago(20),
  },
};

/**
 * The page before the detail's messages, as the conversation's infinite query holds it once loaded:
 * seeded, the conversation shows its beginning instead of asking the API when scrolled to the top.
 */
export const storyOlderMessages: InfiniteData<AgentMessagePage, string> = {
  pages: [
    {
      messages: [message(1, 'user', 'Bonjour, j’ai commandé à 18 h 30.', 62), message(2, 'bot', 'Pouvez-vous me donner votre numéro de commande ?', 61)],
      hasMore: false,
      nextCursor: null,
    },
  ],
  pageParams: [storyTicketDetail.nextCursor!],
};

export const storySuggestions: Suggestion[] = [
  { kind: 'faq', key: 'delivery_time', title: 'Délai de livraison', body: 'Nos livraisons prennent 30 à 45 minutes.', score: 0.82 },
  { kind: 'canned', key: 'problem', title: 'Excuses pour le retard', body: 'Toutes nos excuses pour ce retard, nous suivons votre commande.', score: 0.64 },
];

export const storyAnalytics: AnalyticsResponse = {
  range: { from: day(29), to: day(0), start: `${day(29)}T00:00:00.000Z`, end: `${day(-1)}T00:00:00.000Z` },
  totalTickets: 214,
  statusBreakdown: { open: 31, pending: 12, resolved: 148, closed: 23 },
  priorityBreakdown: { low: 40, normal: 120, high: 44, urgent: 10 },
  avgResponseTimeSeconds: 754,
  p90ResponseTimeSeconds: 2_940,
  responseCount: 188,
  avgResolutionTimeSeconds: 15_300,
  resolvedCount: 171,
  resolutionRate: 0.8,
  ticketsPerDay: Array.from({ length: 30 }, (_, i) => ({ date: day(29 - i), count: 4 + ((i * 7) % 9) })),
  intentBreakdown: { faq: 61, problem: 48, complaint: 22, compliment: 17, order_tracking: 39, general_inquiry: 20, unknown: 7 },
  csat: { average: 4.3, count: 96, distribution: { 1: 3, 2: 4, 3: 9, 4: 27, 5: 53 } },
  deflection: { threads: 410, questions: 655, answered: 492, helpful: 171, notHelpful: 38, handedOver: 96, deflected: 287, rate: 0.7 },
  perAgent: [
    { agent_id: '5b0c6a52-3d1e-4f7a-9c11-000000000001', name: 'Samira', firstResponses: 64, avgFirstResponseSeconds: 410, resolved: 71, avgResolutionSeconds: 5300, replies: 212 },
    { agent_id: '5b0c6a52-3d1e-4f7a-9c11-000000000002', name: 'Jonas', firstResponses: 58, avgFirstResponseSeconds: 640, resolved: 52, avgResolutionSeconds: 7900, replies: 160 },
    { agent_id: '5b0c6a52-3d1e-4f7a-9c11-000000000003', name: null, firstResponses: 3, avgFirstResponseSeconds: 900, resolved: 1, avgResolutionSeconds: 3600, replies: 9 },
  ],
  escalations: 12,
  messagesPerDay: Array.from({ length: 30 }, (_, i) => {
    const customer = 12 + ((i * 5) % 9);
    const agent = 8 + ((i * 6) % 8);
    return { date: day(29 - i), count: customer + agent, customer, agent };
  }),
  ratings: [
    { ticket_id: '7d1f0b2a-1111-4c2d-8e3f-000000000001', score: 5, comment: 'Super rapide, merci !', created_at: ago(90) },
    { ticket_id: '7d1f0b2a-1111-4c2d-8e3f-000000000002', score: 2, comment: 'My burger arrived cold.', created_at: ago(400) },
    { ticket_id: '7d1f0b2a-1111-4c2d-8e3f-000000000003', score: 4, comment: null, created_at: ago(1300) },
  ],
};

export const storyChecklist: ChecklistResponse = {
  since: ago(1440),
  until: ago(0),
  errors: { server: 1, client: 2, total: 3 },
  openTickets: 31,
  avgFirstResponseSeconds: 540,
  firstResponses: 14,
};

export const storyClientMetrics: MetricsSummaryResponse = {
  from: day(6),
  to: day(-1),
  metrics: [
    { day: day(0), name: 'LCP', count: 412, avg: 1_840, min: 620, max: 6_100, p95: 3_900 },
    { day: day(0), name: 'CLS', count: 412, avg: 0.031, min: 0, max: 0.42, p95: 0.11 },
    { day: day(0), name: 'widget_startup', count: 388, avg: 212, min: 80, max: 1_420, p95: 530 },
  ],
};

export const storyAgents: AgentAccount[] = [
  { ...storyAgent, disabled: false, created_at: ago(60 * 24 * 90), updated_at: ago(600), last_login_at: ago(10) },
  { id: '5b0e7c2a-4a51-4f7b-9a53-0c1d2e3f4a02', email: 'lina@tastyfood.be', name: 'Lina', role: 'agent', disabled: false, created_at: ago(60 * 24 * 30), updated_at: ago(900), last_login_at: ago(180) },
  { id: '5b0e7c2a-4a51-4f7b-9a53-0c1d2e3f4a03', email: 'old@tastyfood.be', name: 'Jonas', role: 'agent', disabled: true, created_at: ago(60 * 24 * 200), updated_at: ago(60 * 24 * 20), last_login_at: null },
];

export const storyFaqEntries: AdminFaqEntry[] = (['fr', 'en', 'nl'] as const).flatMap((lang): AdminFaqEntry[] => [
  {
    key: 'is_halal',
    lang,
    title: { fr: 'Est-ce HALAL ?', en: 'Is it HALAL?', nl: 'Is het HALAL?' }[lang],
    answer: { fr: 'OUI, 100% HALAL certifié.', en: 'YES, 100% certified HALAL.', nl: 'JA, 100% HALAL gecertificeerd.' }[lang],
    phrasings: { fr: ['c’est halal ?'], en: ['is the meat halal'], nl: ['is het vlees halal'] }[lang],
    position: 1,
    updated_at: ago(60 * 24 * 3),
  },
]);

export const storyFaqVersion = 'story-version';

/** Stories' callbacks: they do nothing, the stories only show. */
export const noop = () => undefined;
