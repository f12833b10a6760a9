import type { TicketQueueQuery } from '../../../../../contracts/agents.ts';

/** Every ticket query lives under one root, so one realtime event can invalidate them all (docs/dashboard.md). */
export const ticketKeys = {
  all: ['agent-tickets'] as const,
  queues: () => [...ticketKeys.all, 'queue'] as const,
  queue: (query: Partial<TicketQueueQuery>) => [...ticketKeys.queues(), query] as const,
  detail: (id: string) => [...ticketKeys.all, 'detail', id] as const,
  olderMessages: (id: string) => [...ticketKeys.all, 'older-messages', id] as const,
  suggestions: (id: string) => [...ticketKeys.all, 'suggestions', id] as const,
};
