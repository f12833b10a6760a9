import type { CannedReply } from '../../../../contracts/agents.ts';

/** What a canned reply's placeholders stand for on this ticket; a missing value leaves the placeholder visible. */
export type PlaceholderValues = { customerEmail: string; orderNumber: string | null; agentName: string | null };

/** `{{customer.email}}`, `{{order.number}}`, `{{agent.name}}` replaced by this ticket's values. */
export function fillPlaceholders(body: string, v: PlaceholderValues): string {
  const values: Record<string, string | null> = { 'customer.email': v.customerEmail, 'order.number': v.orderNumber, 'agent.name': v.agentName };
  return body.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The `/word` being typed at the end of the draft (at its start or after a space), or null. */
export function slashQuery(draft: string): string | null {
  const m = /(?:^|\s)\/([a-z0-9_-]*)$/i.exec(draft);
  return m ? m[1]!.toLowerCase() : null;
}

/** Replies whose shortcut or title contains the query, shortcut matches first. */
export function matchCanned(replies: CannedReply[], query: string): CannedReply[] {
  const q = query.toLowerCase();
  const byShortcut = replies.filter((r) => r.shortcut.includes(q));
  const byTitle = replies.filter((r) => !r.shortcut.includes(q) && r.title.toLowerCase().includes(q));
  return [...byShortcut, ...byTitle];
}

/** The draft with its trailing `/word` replaced by the filled-in reply. */
export function insertCanned(draft: string, text: string): string {
  return draft.replace(/\/[a-z0-9_-]*$/i, text);
}
