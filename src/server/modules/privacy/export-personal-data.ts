import type { PrivacyExport } from '../../../contracts/privacy.ts';
import type { Db } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import type { AttachmentStore } from '../attachments/index.ts';
import { recordAccess, type PrivacyActor } from './access-record.ts';
import {
  findLanguagePreference,
  listAttachmentsOfTickets,
  listBotThreadsOfTickets,
  listBotTurns,
  listEmailsOfAddress,
  listInboundEmailsOfTickets,
  listMessagesOfTickets,
  listNotesOfTickets,
  listOrderEvents,
  listOrdersOfAddress,
  listRatingsOfTickets,
  listTicketsOfAddress,
} from './privacy.repo.ts';

const byKey = <T, K extends keyof T>(rows: T[], key: K) => {
  const map = new Map<T[K], T[]>();
  for (const r of rows) map.set(r[key], [...(map.get(r[key]) ?? []), r]);
  return (k: T[K]) => map.get(k) ?? [];
};

/**
 * Every piece of data kept about one address, as one JSON document with the files inside (base64): its
 * tickets with their messages, attachments, rating, e-mails received and the bot threads that led to them,
 * its orders, and the e-mails sent to it. Agents' internal notes only when `includeNotes` (the operator's
 * choice: the law may require them, or exempt them). Recorded in the access record as an export.
 */
export async function exportPersonalData(o: {
  db: Db;
  store: AttachmentStore;
  email: string;
  includeNotes: boolean;
  actor: PrivacyActor;
}): Promise<PrivacyExport> {
  const { db, email } = o;
  const tickets = await listTicketsOfAddress(db, email);
  const ids = tickets.map((t) => t.id);
  const [messages, attachments, ratings, notes, inbound, threads, orders, emails, languagePreference] = await Promise.all([
    listMessagesOfTickets(db, ids),
    listAttachmentsOfTickets(db, ids),
    listRatingsOfTickets(db, ids),
    o.includeNotes ? listNotesOfTickets(db, ids) : Promise.resolve([]),
    listInboundEmailsOfTickets(db, ids),
    listBotThreadsOfTickets(db, ids),
    listOrdersOfAddress(db, email),
    listEmailsOfAddress(db, email, ids),
    findLanguagePreference(db, email),
  ]);
  const [turns, orderEvents] = await Promise.all([
    listBotTurns(db, threads.map((t) => t.id)),
    listOrderEvents(db, orders.map((r) => r.id)),
  ]);
  const files = new Map<string, string | null>();
  for (const a of attachments) {
    const bytes = await o.store.get(db, a.id, 'original');
    files.set(a.id, bytes ? bytes.toString('base64') : null);
  }
  const messagesOf = byKey(messages, 'request_id');
  const attachmentsOf = byKey(attachments, 'request_id');
  const ratingsOf = byKey(ratings, 'request_id');
  const notesOf = byKey(notes, 'ticket_id');
  const inboundOf = byKey(inbound, 'request_id');
  const threadsOf = byKey(threads, 'request_id');
  const turnsOf = byKey(turns, 'thread_id');
  const eventsOf = byKey(orderEvents, 'order_id');

  const document: PrivacyExport = {
    format: 'tasty-food-privacy-export/1',
    email,
    generatedAt: new Date().toISOString(),
    languagePreference,
    tickets: tickets.map((t) => {
      const rating = ratingsOf(t.id)[0];
      return {
        id: t.id,
        status: t.status,
        priority: t.priority,
        lang: t.lang,
        orderNumber: t.order_number,
        createdAt: iso(t.created_at),
        updatedAt: iso(t.updated_at),
        resolvedAt: isoOrNull(t.resolved_at),
        legalHold: t.legal_hold,
        messages: messagesOf(t.id).map((m) => ({ id: m.id, author: m.author_type, body: m.body, createdAt: iso(m.created_at) })),
        attachments: attachmentsOf(t.id).map((a) => ({
          id: a.id,
          name: a.name,
          mime: a.mime,
          size: a.size,
          uploadedBy: a.uploaded_by,
          createdAt: iso(a.created_at),
          contentBase64: files.get(a.id) ?? null,
        })),
        rating: rating ? { score: rating.metadata?.score ?? null, comment: rating.metadata?.comment ?? null, createdAt: iso(rating.created_at) } : null,
        inboundEmails: inboundOf(t.id).map((e) => ({ from: e.from_address, via: e.via, createdAt: iso(e.created_at) })),
        botThreads: threadsOf(t.id).map((th) => ({
          id: th.id,
          lang: th.lang,
          createdAt: iso(th.created_at),
          turns: turnsOf(th.id).map((u) => ({ id: `${th.id}:${u.seq}`, author: u.author_type, body: u.body, createdAt: iso(u.created_at) })),
        })),
        ...(o.includeNotes ? { notes: notesOf(t.id).map((n) => ({ createdAt: iso(n.created_at), details: n.details })) } : {}),
      };
    }),
    orders: orders.map((r) => ({
      number: r.number,
      status: r.status,
      items: r.items,
      eta: isoOrNull(r.eta),
      createdAt: iso(r.created_at),
      events: eventsOf(r.id).map((e) => ({ status: e.status, at: iso(e.at), note: e.note })),
    })),
    emails: emails.map((e) => ({
      id: e.id,
      type: e.email_type,
      status: e.status,
      ticketId: e.request_id,
      createdAt: iso(e.created_at),
      sentAt: isoOrNull(e.sent_at),
      subject: e.subject,
      text: e.text_body,
    })),
  };
  await recordAccess(db, { actor: o.actor, action: 'export', email, details: { tickets: ids.length, orders: orders.length, includeNotes: o.includeNotes } });
  return document;
}
