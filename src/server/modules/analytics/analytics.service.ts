import { AGENT_LIMITS, type AnalyticsQuery, type AnalyticsResponse } from '../../../contracts/agents.ts';
import { CHECKLIST_WINDOW_HOURS, type ChecklistResponse } from '../../../contracts/checklist.ts';
import { INTENTS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../../contracts/tickets.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { listAgentNames } from '../agents/index.ts';
import { deflectionFigures } from '../chat/index.ts';
import { countErrors } from '../errors/index.ts';
import {
  intentCounts,
  openTicketCount,
  resolutionTimes,
  responseTimes,
  satisfaction,
  ticketCounts,
  ticketsPerDay,
  type ReportRange,
} from './analytics-report.repo.ts';
import { escalationCount, messagesPerDay, perAgentFigures, ratingList } from './team-report.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const DATE_ONLY_LENGTH = 'YYYY-MM-DD'.length;

function isDateOnly(bound: string): boolean {
  return bound.length === DATE_ONLY_LENGTH;
}

/**
 * [start, end): a day bound starts at its 00:00 UTC (`from`) or ends at the next day's 00:00 UTC (`to`,
 * so that day is counted whole, as before date-times were accepted); a date-time bound is that instant.
 * Defaults to the last 30 days, today included.
 */
export function reportRange(query: AnalyticsQuery, now = new Date()): ReportRange {
  const to = query.to ?? day(now);
  const end = isDateOnly(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) : new Date(to);
  const from = query.from ?? day(new Date(end.getTime() - AGENT_LIMITS.analyticsDefaultDays * DAY_MS));
  const start = isDateOnly(from) ? new Date(`${from}T00:00:00Z`) : new Date(from);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
    throw new AppError('invalid_request', { reason: 'invalid_date_range' });
  }
  if ((end.getTime() - start.getTime()) / DAY_MS > AGENT_LIMITS.analyticsMaxDays) {
    throw new AppError('invalid_request', { reason: 'date_range_too_long' });
  }
  // The last instant counted (end is excluded) names the last day of the per-day series.
  return { start, end, firstDay: day(start), lastDay: day(new Date(end.getTime() - 1)) };
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** The dashboard's figures for a date range: every number comes from an SQL aggregate. */
export async function getAnalytics(options: { db: Db; query: AnalyticsQuery; now?: Date }): Promise<AnalyticsResponse> {
  const { db } = options;
  const range = reportRange(options.query, options.now);
  const [counts, perDay, responses, resolutions, intents, csat, bot, agents, escalations, messages, ratings] = await Promise.all([
    ticketCounts(db, range),
    ticketsPerDay(db, range),
    responseTimes(db, range),
    resolutionTimes(db, range),
    intentCounts(db, range),
    satisfaction(db, range),
    deflectionFigures(db, range.start, range.end),
    perAgentFigures(db, range),
    escalationCount(db, range),
    messagesPerDay(db, range),
    ratingList(db, range, AGENT_LIMITS.analyticsRatings),
  ]);
  const names = await listAgentNames(db, agents.map((a) => a.agent_id));
  const statusBreakdown = zeros(TICKET_STATUSES);
  const priorityBreakdown = zeros(TICKET_PRIORITIES);
  let totalTickets = 0;
  for (const c of counts) {
    statusBreakdown[c.status] += c.n;
    priorityBreakdown[c.priority] += c.n;
    totalTickets += c.n;
  }
  const intentBreakdown = zeros(INTENTS);
  for (const i of intents) intentBreakdown[i.intent] += i.n;
  const done = statusBreakdown.resolved + statusBreakdown.closed;
  return {
    range: { from: range.firstDay, to: range.lastDay, start: range.start.toISOString(), end: range.end.toISOString() },
    totalTickets,
    statusBreakdown,
    priorityBreakdown,
    avgResponseTimeSeconds: responses.avg,
    p90ResponseTimeSeconds: responses.p90,
    responseCount: responses.n,
    avgResolutionTimeSeconds: resolutions.avg,
    resolvedCount: resolutions.n,
    resolutionRate: totalTickets ? Math.round((done / totalTickets) * 10_000) / 10_000 : null,
    ticketsPerDay: perDay,
    intentBreakdown,
    csat: {
      average: csat.avg,
      count: csat.n,
      distribution: { 1: csat.s1, 2: csat.s2, 3: csat.s3, 4: csat.s4, 5: csat.s5 },
    },
    deflection: { ...bot, rate: bot.threads ? Math.round((bot.deflected / bot.threads) * 10_000) / 10_000 : null },
    perAgent: agents.map((a) => ({
      agent_id: a.agent_id,
      name: names.get(a.agent_id) ?? null,
      firstResponses: a.first_responses,
      avgFirstResponseSeconds: a.avg_first_response,
      resolved: a.resolved,
      avgResolutionSeconds: a.avg_resolution,
      replies: a.replies,
    })),
    escalations,
    messagesPerDay: messages,
    ratings: ratings.map((r) => ({ ticket_id: r.ticket_id, score: r.score, comment: r.comment, created_at: r.created_at.toISOString() })),
  };
}

/** The daily checklist (docs/api.md, GET /api/agent/checklist): errors and first responses of the last 24 h, tickets open now. */
export async function getDailyChecklist(options: { db: Db; now?: Date }): Promise<ChecklistResponse> {
  const end = options.now ?? new Date();
  const start = new Date(end.getTime() - CHECKLIST_WINDOW_HOURS * 60 * 60 * 1000);
  const [errors, openTickets, responses] = await Promise.all([
    countErrors(options.db, { start, end }),
    openTicketCount(options.db),
    responseTimes(options.db, { start, end, firstDay: day(start), lastDay: day(end) }),
  ]);
  return {
    since: start.toISOString(),
    until: end.toISOString(),
    errors: { ...errors, total: errors.server + errors.client },
    openTickets,
    avgFirstResponseSeconds: responses.avg,
    firstResponses: responses.n,
  };
}
