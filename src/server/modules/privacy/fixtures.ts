import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { EmailWorker } from '../email/index.ts';

type Transport = ConstructorParameters<typeof EmailWorker>[0]['transport'];
type Mail = Parameters<Transport['send']>[0];
const silent = { info() {}, warn() {}, error() {}, debug() {}, child() { return silent; } } as never;

/**
 * Delivers the outbox as the server's worker does without SMTP_URL: each mail becomes a row of the dev
 * mailbox (the same row the built-in transport writes), so tests read links and find copies there.
 * `sent` receives each mail as the transport got it (its Reply-To, which the dev mailbox does not keep).
 */
export async function deliverOutboxToDevMailbox(
  db: Db,
  config: Pick<Config, 'publicUrl' | 'emailFrom' | 'replyDomain'>,
  sent: Mail[] = [],
): Promise<number> {
  const transport: Transport = {
    name: 'dev-mailbox',
    async send(mail: Mail) {
      sent.push(mail);
      await db.query(
        `INSERT INTO dev_mailbox (email_id, message_id, sender, recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [mail.emailId, mail.messageId, mail.from, mail.to, mail.subject, mail.text, mail.html],
      );
      return { messageId: mail.messageId };
    },
    async close() {},
  };
  const worker = new EmailWorker({
    db,
    logger: silent,
    transport,
    publicUrl: config.publicUrl,
    from: config.emailFrom,
    retryBaseSeconds: 1,
    leaseSeconds: 30,
    replyDomain: config.replyDomain,
  });
  return worker.processBatch(100);
}
