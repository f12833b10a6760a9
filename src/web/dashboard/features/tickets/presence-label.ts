import type { Translate } from '../../../lib/i18n.ts';

/**
 * The ticket page's presence line. The server's presence frame counts every agent with the ticket open,
 * the reader included, so the line counts the others: "only you" alone, "1 other agent" beside one more.
 */
export function presenceLabel(viewers: number, t: Translate): string {
  return t('ticket.viewers', { count: Math.max(0, viewers - 1) });
}
