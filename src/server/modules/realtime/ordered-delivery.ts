import type { FastifyBaseLogger } from 'fastify';
import type { Attachment } from '../../../contracts/attachments.ts';
import { attachmentsByMessage } from '../attachments/index.ts';
import { findMessageById, listMessagesAfter, type MessageRow, toMessage } from '../tickets/index.ts';
import type { Connection, HubContext, Subscription, Target } from './connection.ts';
import type { Connections } from './connections.ts';
import type { FrameLimits } from './frame-limits.ts';
import { messageCreatedFrame, type FrameText } from './server-frames.ts';

/**
 * Per key (a ticket id, a channel), tasks run one after the other in the order they were queued: a
 * ticket's events are handled in order, whichever query finishes first.
 */
export class TaskChains {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly log: FastifyBaseLogger) {}

  /** Runs task after every earlier task of the same key (a ticket), so its events stay in order. */
  enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch((err) => this.log.warn({ err, key }, 'realtime: event handling failed'));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Resolves once every task queued so far has run. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}

/**
 * The event just heard (or published by this process) for a ticket's message: its seq and id, how many
 * files it carries when the publisher said so, and, from this process's own send, the row and its files
 * themselves (bus.ts LocalMessageDetail).
 */
export type MessageHint = {
  seq: number;
  messageId: string;
  attachments?: number;
  known?: { row: MessageRow; attachments: Attachment[] };
};

/**
 * A ticket's messages to its subscribers, each in strictly increasing `seq`, without gap (a gap is
 * filled from the table) and without duplicate. Runs inside the ticket's chain (TaskChains).
 */
export class MessageDelivery {
  constructor(
    private readonly ctx: HubContext,
    private readonly connections: Connections,
    private readonly frameLimits: FrameLimits,
  ) {}

  /**
   * Starts a new subscription after `since` (fixed before the socket was told 'subscribed': the latest
   * message then, or the client's resume point) and sends what committed after it.
   */
  async start(conn: Connection, sub: Subscription, ticketId: string, since: number): Promise<void> {
    if (conn.subs.get(sub.grant.channel) !== sub) return;
    sub.lastSeq = since;
    await this.catchUp(ticketId, [{ conn, sub }]);
  }

  /**
   * Sends each target the messages after its lastSeq, in seq order. With a hint (the event just heard)
   * and every target exactly one behind it, the one row is loaded by id; otherwise (a resume, a gap, a
   * reconnect) the missing range is read from the table.
   */
  async catchUp(ticketId: string, all: Target[], hint?: MessageHint): Promise<void> {
    const behind = (t: Target) =>
      !t.conn.closed && t.sub.lastSeq !== null && t.conn.subs.get(t.sub.grant.channel) === t.sub && (hint ? t.sub.lastSeq < hint.seq : true);
    let targets = all.filter(behind);
    if (targets.length === 0) return;
    let from = Math.min(...targets.map((t) => t.sub.lastSeq!));
    if (hint && from === hint.seq - 1) {
      // Handed over by this process's own send (no query at all), or read by id; its files only when it has any.
      const row = hint.known?.row ?? (await findMessageById(this.ctx.db, hint.messageId));
      if (row) {
        const files = hint.known
          ? new Map([[row.id, hint.known.attachments]])
          : hint.attachments === 0
            ? new Map<string, Attachment[]>()
            : await attachmentsByMessage(this.ctx.db, [row.id]);
        this.deliver(ticketId, targets.filter(behind), [row], files);
        return;
      }
    }
    // Page by page, each target only while its send buffer is low and its address has backlog budget
    // left: a paused one keeps its lastSeq and is resumed by the sweep, so it gets everything, in order.
    for (;;) {
      targets = targets.filter((t) => behind(t) && this.frameLimits.mayBackfill(t.conn));
      if (targets.length === 0) return;
      from = Math.min(...targets.map((t) => t.sub.lastSeq!));
      const rows = await listMessagesAfter(this.ctx.db, ticketId, from, this.ctx.limits.backlogPage);
      if (rows.length === 0) return;
      this.deliver(ticketId, targets.filter(behind), rows, await attachmentsByMessage(this.ctx.db, rows.map((r) => r.id)), true);
      if (rows.length < this.ctx.limits.backlogPage) return;
    }
  }

  /** `backlog`: rows read from the table, counted against each address's budget and paced by its buffer. */
  private deliver(ticketId: string, targets: Target[], rows: MessageRow[], files: Map<string, Attachment[]>, backlog = false): void {
    // A target paused in this page stays paused for the rest of it: a later row would leave a gap.
    const paused = new Set<Target>();
    for (const row of rows) {
      // Each side sees the message as it would over REST: client_id only on messages its side wrote.
      const frames: Partial<Record<'customer' | 'agent', FrameText>> = {};
      for (const t of targets) {
        if (t.conn.closed || t.sub.lastSeq === null || t.sub.lastSeq >= row.seq || paused.has(t)) continue;
        if (backlog && !this.frameLimits.mayBackfill(t.conn)) {
          paused.add(t);
          continue;
        }
        const reader = t.sub.grant.kind === 'ticket' ? t.sub.grant.side : 'customer';
        const frame = (frames[reader] ??= messageCreatedFrame(ticketId, { ...toMessage(row, reader), attachments: files.get(row.id) ?? [] }));
        if (backlog) this.frameLimits.spendBackfill(t.conn.address, Buffer.byteLength(frame));
        t.sub.lastSeq = row.seq;
        this.connections.send(t.conn, frame);
      }
    }
  }
}
