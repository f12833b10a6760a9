import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { mintPrivacyLinkTokens, privacyConfirmLink, renderPrivacyEmail } from '../privacy/index.ts';
import { mintEmailLinkTokens } from '../tickets/index.ts';
import {
  claimDueEmails,
  EMAIL_CHANNEL_SQL,
  markEmailGivenUp,
  markEmailRetry,
  markEmailSent,
  pruneEmailLeftovers,
  type ClaimedEmail,
} from './email.repo.ts';
import { conversationLink, renderEmail } from './email-templates.ts';
import { readReplyKey, replyAddressFor } from './reply-address.ts';
import type { EmailThrottle } from './email-throttle.ts';
import { createMailTransport, MailDeliveryError, type MailTransport } from './email-transport.ts';

/** Attempts of one e-mail (the first and its retries) before it is given up as `failed`. */
export const EMAIL_MAX_ATTEMPTS = 5;
/** A stored error is cut to this length: enough for an SMTP reply, never a flood. */
const LAST_ERROR_MAX_CHARS = 1000;
const DEV_MAILBOX_KEEP_DAYS = 7;
const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

export type EmailWorkerOptions = {
  db: Db;
  transport: MailTransport;
  logger: FastifyBaseLogger;
  publicUrl: string;
  from: string;
  retryBaseSeconds: number;
  leaseSeconds: number;
  /** Unique per worker; written to locked_by. */
  workerId?: string;
  /** E-mails claimed by one claim. */
  batchSize?: number;
  /** E-mails in flight at once (claimed by parallel lanes of batchSize each); match the SMTP pool. */
  concurrency?: number;
  /** How often the queue is looked at without a nudge: retries fall due without any NOTIFY. */
  pollIntervalMs?: number;
  /** Test hook: wait this long between claiming and sending (to kill the process in between). */
  pauseAfterClaimMs?: number;
  /** Yield to the API of the same process (main.ts); none: full speed (`npm run worker`). */
  throttle?: EmailThrottle;
  /** Domain of the signed Reply-To addresses (config replyDomain); by default the From address's. */
  replyDomain?: string;
};

/**
 * One drain's shared state: the lane allowed to work while the throttle's signal is busy, and whether the
 * first lane's first claim came back full (the other lanes start then).
 */
type DrainState = { busyLane: number | null; firstClaim: Promise<boolean> };

/** The claimed e-mails grouped by recipient (an address's case does not make it another), each group in the claimed order. */
function byRecipient<T extends { row: ClaimedEmail }>(claimed: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const c of claimed) {
    const key = c.row.recipient_email.toLowerCase();
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

/** What the worker did since it started (for the metrics). */
export type EmailWorkerCounters = { sent: number; retried: number; failed: number; bounced: number; leaseLost: number };

/**
 * Delivers the outbox. A short transaction claims due e-mails with a lease (and mints their links'
 * tokens); sending happens outside any transaction; each result is written only while the lease is
 * still ours. A worker that dies leaves its lease to expire, and the e-mail is taken over: delivery
 * is at least once, and the stable Message-ID makes a rare second copy recognisable.
 */
export class EmailWorker {
  readonly id: string;
  readonly counters: EmailWorkerCounters = { sent: 0, retried: 0, failed: 0, bounced: 0, leaseLost: 0 };
  private readonly o: Required<Omit<EmailWorkerOptions, 'workerId' | 'throttle' | 'replyDomain'>>;
  private readonly replyDomain: string;
  private replyKey: Buffer | null = null;
  private readonly throttle: Required<EmailThrottle> | null;
  private readonly messageIdHost: string;
  private running: Promise<void> | null = null;
  private stopping = false;
  private nudged = false;
  private wake: (() => void) | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private lastHousekeeping = 0;

  constructor(options: EmailWorkerOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.o = {
      ...options,
      batchSize: options.batchSize ?? 5,
      concurrency: options.concurrency ?? 10,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      pauseAfterClaimMs: options.pauseAfterClaimMs ?? 0,
    };
    this.messageIdHost = new URL(options.publicUrl).hostname || 'localhost';
    const fromAddress = /<([^<>]+)>\s*$/.exec(options.from)?.[1] ?? options.from;
    this.replyDomain = (options.replyDomain ?? fromAddress.slice(fromAddress.lastIndexOf('@') + 1)).toLowerCase();
    const t = options.throttle;
    this.throttle = t ? { signal: t.signal, busyBatchSize: Math.max(1, t.busyBatchSize ?? 1), busyPauseMs: t.busyPauseMs ?? 10 } : null;
  }

  /** Starts polling (and listening for nudges) until stop(). */
  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    const { rows } = await this.o.db.query<{ channel: string }>(`SELECT ${EMAIL_CHANNEL_SQL} AS channel`);
    this.unlisten = await this.o.db.listen(rows[0]!.channel, () => this.nudge(), () => this.nudge());
    this.running = this.loop();
  }

  /** Finishes the e-mails in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.nudge();
    await this.running;
    this.running = null;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }

  /**
   * Sends every e-mail due now; returns how many were attempted. Several lanes claim and send side by
   * side: one slow mail then holds up only its own batch, and the SMTP pool's connections stay busy.
   */
  async drain(): Promise<number> {
    const lanes = Math.max(1, Math.ceil(this.o.concurrency / this.o.batchSize));
    let firstClaimed!: (full: boolean) => void;
    const drain: DrainState = { busyLane: null, firstClaim: new Promise((resolve) => (firstClaimed = resolve)) };
    // The other lanes claim once the first lane's first claim came back full (more is due than one batch):
    // a few e-mails queued together (a ticket's confirmation and its first reply) stay in one batch, sent
    // in queue order, instead of two lanes' claims splitting them.
    const first = this.drainLane(0, drain, firstClaimed).finally(() => firstClaimed(false));
    const others = Array.from({ length: lanes - 1 }, (_, i) => drain.firstClaim.then((full) => (full ? this.drainLane(i + 1, drain) : 0)));
    const attempted = await Promise.all([first, ...others]);
    return attempted.reduce((a, b) => a + b, 0);
  }

  /**
   * One lane claims batch after batch until a claim comes back short (no more due rows for it). With a
   * throttle whose signal is busy, one lane at a time works, in small batches with a pause after each
   * (the floor rate: the drain always progresses); the others wait and look again.
   */
  private async drainLane(lane: number, drain: DrainState, claimed?: (full: boolean) => void): Promise<number> {
    let attempted = 0;
    try {
      for (;;) {
        const busy = this.throttle?.signal.busy() === true;
        if (busy && drain.busyLane !== null && drain.busyLane !== lane) {
          await delay(this.throttle!.busyPauseMs);
          if (this.stopping) return attempted;
          continue;
        }
        drain.busyLane = busy ? lane : drain.busyLane === lane ? null : drain.busyLane;
        const limit = busy ? this.throttle!.busyBatchSize : this.o.batchSize;
        const n = await this.processBatch(limit, (count) => claimed?.(count === limit));
        attempted += n;
        if (n < limit || this.stopping) return attempted;
        if (busy) await delay(this.throttle!.busyPauseMs);
      }
    } finally {
      if (drain.busyLane === lane) drain.busyLane = null;
    }
  }

  /**
   * Claims one batch (at most `limit`, by default the batch size) of due e-mails and delivers them; returns
   * how many were claimed. `onClaimed` is told how many as soon as the claim committed, before delivery.
   */
  async processBatch(limit = this.o.batchSize, onClaimed?: (count: number) => void): Promise<number> {
    const claimed = await this.o.db.transaction(async (tx) => {
      const rows = await claimDueEmails(tx, { owner: this.id, leaseSeconds: this.o.leaseSeconds, limit });
      // A ticket's e-mail opens the conversation; a privacy request's confirms the request (modules/privacy).
      const ticketRows = rows.filter((r) => r.request_id !== null);
      const privacyRows = rows.filter((r) => r.request_id === null);
      const tokens = await mintEmailLinkTokens(tx, ticketRows.map((r) => ({ emailId: r.id, ticketId: r.request_id! })));
      const privacyTokens = await mintPrivacyLinkTokens(tx, privacyRows.map((r) => r.privacy_request_id!));
      const tokenOf = new Map([...ticketRows.map((r, i) => [r.id, tokens[i]!] as const), ...privacyRows.map((r, i) => [r.id, privacyTokens[i]!] as const)]);
      // In queue order, as claimed.
      return rows.map((row) => ({ row, token: tokenOf.get(row.id)! }));
    });
    onClaimed?.(claimed.length);
    if (claimed.length === 0) return 0;
    this.replyKey ??= await readReplyKey(this.o.db);
    if (this.o.pauseAfterClaimMs > 0) {
      this.o.logger.info({ emails: claimed.map((c) => c.row.id), ms: this.o.pauseAfterClaimMs }, 'test hook: pausing after claim');
      await delay(this.o.pauseAfterClaimMs);
    }
    // Different recipients side by side; one recipient's e-mails one after the other, in queue order: a
    // ticket's confirmation never reaches the customer after the reply queued behind it.
    await Promise.all(
      byRecipient(claimed).map(async (mails) => {
        for (const { row, token } of mails) await this.deliver(row, token);
      }),
    );
    return claimed.length;
  }

  private nudge() {
    this.nudged = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.nudged = false;
      try {
        await this.drain();
        await this.housekeeping();
      } catch (err) {
        this.o.logger.warn({ err, worker: this.id }, 'e-mail worker: queue unavailable, will retry');
      }
      if (this.stopping || this.nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async housekeeping() {
    if (Date.now() - this.lastHousekeeping < HOUSEKEEPING_INTERVAL_MS) return;
    this.lastHousekeeping = Date.now();
    await pruneEmailLeftovers(this.o.db, DEV_MAILBOX_KEEP_DAYS);
  }

  private async deliver(row: ClaimedEmail, token: string): Promise<void> {
    const log = this.o.logger.child({ emailId: row.id, type: row.email_type, attempt: row.retry_count + 1 });
    try {
      if (row.email_type === 'agent_reply' && row.reply_body === null) {
        throw new MailDeliveryError('permanent', 'the reply this e-mail announces no longer exists');
      }
      const headers = { emailId: row.id, messageId: `<${row.id}@${this.messageIdHost}>`, from: this.o.from, to: row.recipient_email };
      if (row.request_id === null) {
        // A privacy request's confirmation (modules/privacy): no conversation, no reply address.
        const type = row.email_type === 'privacy_erase' ? 'privacy_erase' : 'privacy_export';
        const link = privacyConfirmLink(this.o.publicUrl, token);
        await this.o.transport.send({ ...headers, autoSubmitted: true, ...renderPrivacyEmail({ type, lang: row.lang, link }) });
      } else {
        const rendered = renderEmail({
          type: row.email_type,
          lang: row.lang,
          ticketId: row.request_id,
          replyBody: row.reply_body,
          link: conversationLink(this.o.publicUrl, row.request_id, token),
        });
        await this.o.transport.send({
          ...headers,
          replyTo: replyAddressFor(this.replyKey!, row.request_id, this.replyDomain),
          references: row.thread_root_id ? [`<${row.thread_root_id}@${this.messageIdHost}>`] : [],
          autoSubmitted: row.email_type !== 'agent_reply',
          ...rendered,
        });
      }
    } catch (err) {
      await this.recordFailure(row, err, log);
      return;
    }
    try {
      if (await markEmailSent(this.o.db, row.id, this.id)) {
        this.counters.sent += 1;
        log.debug('e-mail sent');
      } else {
        this.counters.leaseLost += 1;
        log.warn('e-mail sent after its lease was taken over: the other worker may send it again (same Message-ID)');
      }
    } catch (err) {
      // The mail left but its row still says pending: once the lease expires it is sent again,
      // with the same Message-ID. At least once, never lost.
      log.error({ err }, 'e-mail sent but not marked sent');
    }
  }

  private async recordFailure(row: ClaimedEmail, err: unknown, log: FastifyBaseLogger) {
    const failure = err instanceof MailDeliveryError ? err : new MailDeliveryError('temporary', String(err), { cause: err });
    const error = failure.message.slice(0, LAST_ERROR_MAX_CHARS);
    try {
      if (failure.kind === 'temporary') {
        const r = await markEmailRetry(this.o.db, {
          id: row.id,
          owner: this.id,
          error,
          baseSeconds: this.o.retryBaseSeconds,
          maxAttempts: EMAIL_MAX_ATTEMPTS,
        });
        if (r?.status === 'failed') this.counters.failed += 1;
        else if (r) this.counters.retried += 1;
        else this.counters.leaseLost += 1;
        log.warn({ error, status: r?.status }, 'e-mail not sent (temporary failure)');
      } else {
        const status = failure.kind === 'bounced' ? 'bounced' : 'failed';
        if (await markEmailGivenUp(this.o.db, { id: row.id, owner: this.id, error, status })) this.counters[status] += 1;
        else this.counters.leaseLost += 1;
        log.warn({ error, status }, 'e-mail refused for good');
      }
    } catch (dbErr) {
      log.error({ err: dbErr, error }, 'e-mail failure not recorded: it is retried when its lease expires');
    }
  }
}

/**
 * The worker as the server and `npm run worker` run it: SMTP when configured, else the dev mailbox.
 * Resolves once it runs; `stop` lets the e-mails in hand finish, then closes the transport.
 */
export async function startEmailDelivery(options: {
  db: Db;
  config: Pick<Config, 'smtpUrl' | 'publicUrl' | 'emailFrom' | 'emailRetryBaseSeconds' | 'emailLeaseSeconds' | 'replyDomain'>;
  logger: FastifyBaseLogger;
  pauseAfterClaimMs?: number;
  /** The server passes one to yield to its API; `npm run worker` runs at full speed. */
  throttle?: EmailThrottle;
}): Promise<{ worker: EmailWorker; stop: () => Promise<void> }> {
  const { db, config, logger } = options;
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, db });
  const worker = new EmailWorker({
    db,
    transport,
    logger,
    publicUrl: config.publicUrl,
    from: config.emailFrom,
    retryBaseSeconds: config.emailRetryBaseSeconds,
    leaseSeconds: config.emailLeaseSeconds,
    replyDomain: config.replyDomain,
    pauseAfterClaimMs: options.pauseAfterClaimMs,
    throttle: options.throttle,
  });
  await worker.start();
  logger.info({ worker: worker.id, transport: transport.name }, 'e-mail worker started');
  return {
    worker,
    stop: async () => {
      await worker.stop();
      await transport.close();
    },
  };
}
