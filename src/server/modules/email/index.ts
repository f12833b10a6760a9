// The email module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { readEmailMetrics } from './email-metrics.ts';
export { findOutboxEmail, recordEmailBounce } from './email.repo.ts';
export { SmtpTransport } from './email-transport.ts';
export { EmailWorker, type EmailWorkerCounters, startEmailDelivery } from './email-worker.ts';
export { checkReplyAddress, readReplyKey } from './reply-address.ts';
