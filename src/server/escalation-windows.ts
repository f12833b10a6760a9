import { TICKET_PRIORITIES, type TicketPriority } from '../contracts/tickets.ts';

// The timeout escalation's setting (ESCALATION_AFTER_MINUTES), parsed here, beside config.ts, so that the
// configuration imports no module; modules/tickets/escalate-overdue.ts applies it.

/** The priorities a waiting ticket can be raised from (urgent is the top). */
export const ESCALATABLE_PRIORITIES = ['low', 'normal', 'high'] as const satisfies readonly TicketPriority[];
export type EscalatablePriority = (typeof ESCALATABLE_PRIORITIES)[number];

/** Minutes without an agent reply after which a ticket of that priority is raised; a missing key never escalates. */
export type EscalationWindows = Partial<Record<EscalatablePriority, number>>;

export const DEFAULT_ESCALATION_AFTER_MINUTES = 'low:240,normal:120,high:30';

/** The priority one step above. */
export function nextPriority(p: EscalatablePriority): TicketPriority {
  return TICKET_PRIORITIES[TICKET_PRIORITIES.indexOf(p) + 1]!;
}

/**
 * Parses `ESCALATION_AFTER_MINUTES` ("low:240,normal:120,high:30"; "off" or "" disables escalation).
 * Throws a readable message on anything else.
 */
export function parseEscalationWindows(value: string): EscalationWindows {
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'off') return {};
  const windows: EscalationWindows = {};
  for (const part of text.split(',')) {
    const m = /^\s*([a-z]+)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const priority = m?.[1] as EscalatablePriority | undefined;
    if (!m || !priority || !ESCALATABLE_PRIORITIES.includes(priority)) {
      throw new Error(`expected "priority:minutes" pairs with a priority among ${ESCALATABLE_PRIORITIES.join(', ')}, got "${part.trim()}"`);
    }
    const minutes = Number(m[2]);
    if (!(minutes > 0)) throw new Error(`minutes must be positive, got "${part.trim()}"`);
    windows[priority] = minutes;
  }
  return windows;
}
