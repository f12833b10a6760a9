import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_DATA_DIR } from './db/data-dir.ts';
import { ATTACHMENT_LIMITS } from '../contracts/attachments.ts';
import type { AutoAssignMode } from '../contracts/team.ts';
import {
  DEFAULT_ESCALATION_AFTER_MINUTES,
  parseEscalationWindows,
  type EscalationWindows,
} from './escalation-windows.ts';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  DATABASE_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  SMTP_URL: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  EMAIL_RETRY_BASE_SECONDS: z.coerce.number().positive().default(3600),
  EMAIL_FROM: z.string().refine((s) => !/[\r\n]/.test(s), { message: 'must not contain line breaks' }).optional(),
  EMAIL_LEASE_SECONDS: z.coerce.number().positive().default(300),
  EMAIL_WORKER: z.enum(['on', 'off']).default('on'),
  ALLOWED_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: z.enum(['true', 'false']).default('true'),
  ORDERS_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ESCALATION_AFTER_MINUTES: z
    .string()
    .default(DEFAULT_ESCALATION_AFTER_MINUTES)
    .transform((s, ctx) => {
      try {
        return parseEscalationWindows(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  ESCALATION_INTERVAL_SECONDS: z.coerce.number().positive().default(60),
  SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(8 * 60 * 60),
  SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 60 * 60),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  TRUST_PROXY: z.string().optional(),
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  REDIS_URL: z.string().url().optional(),
  SENTRY_DSN: z.string().url().optional(),
  SENTRY_ENVIRONMENT: z.string().max(64).default('production'),
  SENTRY_RELEASE: z.string().max(200).optional(),
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(50),
  WS_MAX_CONNECTIONS: z.coerce.number().int().positive().default(10_000),
  WS_IDLE_SECONDS: z.coerce.number().positive().default(30),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CLIENT_METRICS_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  ERROR_LOGS_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  BOT_THREADS_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  CLOSED_TICKETS_RETENTION_DAYS: z.coerce.number().int().positive().default(730),
  SENT_EMAILS_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  ACCESS_RECORD_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  PRIVACY_URL: z.string().url().regex(/^https?:\/\//, 'must be an http(s) address').optional(),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default('0.0.0.0'),
  INBOUND_SMTP_TLS_CERT: z.string().optional(),
  INBOUND_SMTP_TLS_KEY: z.string().optional(),
  INBOUND_EMAIL_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  INBOUND_EMAIL_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.?[a-z0-9-]*$/i, 'must be a domain name').optional(),
  INBOUND_EMAIL_MAX_BYTES: z.coerce.number().int().positive().max(100 * 1024 * 1024).default(25 * 1024 * 1024),
  INBOUND_NEW_TICKETS: z.enum(['on', 'off']).default('off'),
  AUTO_ASSIGN: z.enum(['off', 'round_robin']).default('off'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().max(100 * 1024 * 1024).default(ATTACHMENT_LIMITS.maxBytes),
  ATTACHMENT_TICKET_QUOTA_BYTES: z.coerce.number().int().positive().default(ATTACHMENT_LIMITS.ticketQuotaBytes),
  ATTACHMENT_TICKET_QUOTA_FILES: z.coerce.number().int().positive().default(ATTACHMENT_LIMITS.ticketQuotaFiles),
  ATTACHMENT_STORAGE: z.enum(['pg', 's3']).default('pg'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
}).superRefine((e, ctx) => {
  if (e.ATTACHMENT_STORAGE !== 's3') return;
  for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (!e[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when ATTACHMENT_STORAGE=s3' });
  }
});

/**
 * Where attachments' bytes are kept: in the database, or in an S3-compatible bucket reached on path-style
 * URLs (`endpoint` e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000).
 */
export type AttachmentStorageConfig =
  | { kind: 'pg' }
  | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  smtpUrl: string | undefined;
  publicUrl: string;
  emailRetryBaseSeconds: number;
  /** The From of customer e-mails: `"Tasty Food Support" <support@host of PUBLIC_URL>` unless EMAIL_FROM says otherwise. */
  emailFrom: string;
  /** How long a worker owns a claimed e-mail; past it another worker takes the e-mail over. */
  emailLeaseSeconds: number;
  /** Whether the server process runs the e-mail worker (off when separate `npm run worker` processes do). */
  emailWorker: boolean;
  allowedOrigins: string[];
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demoData: boolean;
  /** Shared secret of the ordering system's webhook (HMAC-SHA256); unset: the webhook answers 503. */
  ordersWebhookSecret: string | undefined;
  /** Minutes without an agent reply before an open ticket of each priority is raised one step. */
  escalationAfterMinutes: EscalationWindows;
  /** How often the server looks for tickets to escalate. */
  escalationIntervalSeconds: number;
  /** Agent sessions end after this long without a request (sliding), and at the latest after the absolute one. */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** Failed logins allowed per account and per IP address in the sliding window before 429. */
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerIp: number;
  loginWindowSeconds: number;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify trustProxy): unset, the client address is the
   * TCP peer's and the header is ignored; a hop count, or comma-separated addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Per-IP request limits (@fastify/rate-limit): on by default; the per-route figures are in http/security.ts. */
  rateLimit: boolean;
  rateLimitPerMinute: number;
  /** Shared store of the per-IP limits when several instances run; in memory when unset. */
  redisUrl: string | undefined;
  /** Unexpected errors (server and browsers) also go to this Sentry project; unset: error_logs only. */
  sentryDsn: string | undefined;
  sentryEnvironment: string;
  /** This build's name in error reports: SENTRY_RELEASE, else `tasty-food-support@<package.json version>`. */
  release: string;
  /** WebSocket connections one client address may hold (TRUST_PROXY decides the address), and all of them together. */
  wsMaxConnectionsPerIp: number;
  wsMaxConnections: number;
  /** A socket without an agent session that has subscribed to nothing is closed after this long. */
  wsIdleSeconds: number;
  /** Prometheus /metrics on a port of its own (loopback unless METRICS_HOST); unset: not served on a separate port. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** When set, /metrics on the application port answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  metricsToken: string | undefined;
  /** Browsers' metrics and error reports are deleted after these many days. */
  clientMetricsRetentionDays: number;
  errorLogsRetentionDays: number;
  /** Days a chat thread that never became a ticket is kept after its last question (the retention job). */
  botThreadsRetentionDays: number;
  /** Privacy (docs/privacy.md): days after its last change a resolved or closed ticket is anonymised. */
  closedTicketsRetentionDays: number;
  /** Days an e-mail that left (or was given up) is kept in the outbox and the dev mailbox. */
  sentEmailsRetentionDays: number;
  /** Days a line of the access record (who viewed, exported or erased whose data) is kept. */
  accessRecordRetentionDays: number;
  /** The operator's privacy notice, linked from the widget where a customer first gives an e-mail; unset: the built-in /privacy page. */
  privacyUrl: string | undefined;
  /** The built-in SMTP listener for customers' e-mail replies (modules/inbound-email); unset: off. */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  /** PEM files: the listener offers STARTTLS when both are set. */
  inboundSmtpTls: { certFile: string; keyFile: string } | null;
  /** `POST /api/inbound/email` answers only `Authorization: Bearer <secret>`; unset: 503. */
  inboundEmailSecret: string | undefined;
  /** The domain of reply addresses (`reply+<ticket>.<signature>@<domain>`): EMAIL_FROM's unless set. */
  replyDomain: string;
  /** The support address (EMAIL_FROM's), to which unsigned mail may open a ticket. */
  supportAddress: string;
  /** Largest inbound e-mail, in bytes (SMTP SIZE and the webhook's body). */
  inboundEmailMaxBytes: number;
  /** Whether unknown, unsigned mail to the support address opens a new ticket. */
  inboundNewTickets: boolean;
  /**
   * The first value of the team's round-robin setting, written only while the database has none; after
   * that only an admin changes it (PUT /api/agent/team/settings, docs/agents.md "Round-robin").
   */
  autoAssign: AutoAssignMode;
  /** Largest file a customer or an agent may attach, in bytes. */
  attachmentMaxBytes: number;
  /** What one ticket may hold in attachments, in bytes and in files. */
  attachmentTicketQuotaBytes: number;
  attachmentTicketQuotaFiles: number;
  /** Where attachments' bytes are kept: in the database (default), or in an S3-compatible bucket. */
  attachmentStorage: AttachmentStorageConfig;
};

/** Reads the environment once; throws a readable list of every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=` in an env file) means unset, not an invalid value.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const allowedOrigins = (e.ALLOWED_ORIGINS ?? new URL(publicUrl).origin)
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const emailFrom = e.EMAIL_FROM ?? `"Tasty Food Support" <support@${new URL(publicUrl).hostname}>`;
  const supportAddress = (/<([^<>]+)>\s*$/.exec(emailFrom)?.[1] ?? emailFrom).trim().toLowerCase();
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    smtpUrl: e.SMTP_URL,
    publicUrl,
    emailRetryBaseSeconds: e.EMAIL_RETRY_BASE_SECONDS,
    emailFrom,
    emailLeaseSeconds: e.EMAIL_LEASE_SECONDS,
    emailWorker: e.EMAIL_WORKER === 'on',
    allowedOrigins,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA === 'true',
    ordersWebhookSecret: e.ORDERS_WEBHOOK_SECRET,
    escalationAfterMinutes: e.ESCALATION_AFTER_MINUTES,
    escalationIntervalSeconds: e.ESCALATION_INTERVAL_SECONDS,
    sessionIdleSeconds: e.SESSION_IDLE_SECONDS,
    sessionAbsoluteSeconds: e.SESSION_ABSOLUTE_SECONDS,
    loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
    loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    rateLimit: e.RATE_LIMIT === 'on',
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    redisUrl: e.REDIS_URL,
    sentryDsn: e.SENTRY_DSN,
    sentryEnvironment: e.SENTRY_ENVIRONMENT,
    release: e.SENTRY_RELEASE ?? defaultRelease(),
    wsMaxConnectionsPerIp: e.WS_MAX_CONNECTIONS_PER_IP,
    wsMaxConnections: e.WS_MAX_CONNECTIONS,
    wsIdleSeconds: e.WS_IDLE_SECONDS,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    metricsToken: e.METRICS_TOKEN,
    clientMetricsRetentionDays: e.CLIENT_METRICS_RETENTION_DAYS,
    errorLogsRetentionDays: e.ERROR_LOGS_RETENTION_DAYS,
    botThreadsRetentionDays: e.BOT_THREADS_RETENTION_DAYS,
    closedTicketsRetentionDays: e.CLOSED_TICKETS_RETENTION_DAYS,
    sentEmailsRetentionDays: e.SENT_EMAILS_RETENTION_DAYS,
    accessRecordRetentionDays: e.ACCESS_RECORD_RETENTION_DAYS,
    privacyUrl: e.PRIVACY_URL,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST,
    inboundSmtpTls: e.INBOUND_SMTP_TLS_CERT && e.INBOUND_SMTP_TLS_KEY ? { certFile: e.INBOUND_SMTP_TLS_CERT, keyFile: e.INBOUND_SMTP_TLS_KEY } : null,
    inboundEmailSecret: e.INBOUND_EMAIL_SECRET,
    replyDomain: (e.INBOUND_EMAIL_DOMAIN ?? domainOf(supportAddress)).toLowerCase(),
    supportAddress,
    inboundEmailMaxBytes: e.INBOUND_EMAIL_MAX_BYTES,
    inboundNewTickets: e.INBOUND_NEW_TICKETS === 'on',
    autoAssign: e.AUTO_ASSIGN,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    attachmentTicketQuotaBytes: e.ATTACHMENT_TICKET_QUOTA_BYTES,
    attachmentTicketQuotaFiles: e.ATTACHMENT_TICKET_QUOTA_FILES,
    attachmentStorage:
      e.ATTACHMENT_STORAGE === 's3'
        ? {
            kind: 's3',
            endpoint: e.S3_ENDPOINT!,
            bucket: e.S3_BUCKET!,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID!,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
          }
        : { kind: 'pg' },
  };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function defaultRelease(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name}@${pkg.version}`;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
