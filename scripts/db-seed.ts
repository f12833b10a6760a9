import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.ts';
import { openDb } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { appendMessage, createTicket, setTicketStatus } from '../src/server/modules/tickets/index.ts';
import { DEMO_TICKETS } from '../src/server/seed/demo-data.ts';

// `npm run db:seed -- --tickets 200`: a demo data set for the dashboard (queue, analytics), written
// through the same services as the API, then spread over the last 30 days.
const { values } = parseArgs({ options: { tickets: { type: 'string', default: '120' } } });
const count = Math.max(1, Math.min(5000, Number(values.tickets) || 120));

const REPLIES = {
  fr: ['Bonjour, merci pour votre message. Nous regardons cela tout de suite.', 'C’est réglé, bon appétit\u202f!'],
  en: ['Hello, thanks for your message. We are looking into it right now.', 'All sorted, enjoy your meal!'],
  nl: ['Hallo, bedankt voor je bericht. We bekijken het meteen.', 'Alles is opgelost, smakelijk eten!'],
} as const;
const STATUSES = ['open', 'open', 'pending', 'resolved', 'resolved', 'closed'] as const;
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const;

const config = loadConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db);

for (let i = 0; i < count; i++) {
  const demo = DEMO_TICKETS[i % DEMO_TICKETS.length]!;
  const email = demo.email.replace('@', `+seed${Date.now().toString(36)}${i}@`);
  const { ticket } = await createTicket({ db, input: { email, message: demo.message, lang: demo.lang }, fallbackLang: demo.lang });
  const daysAgo = (i * 29) / count;
  const createdAt = new Date(Date.now() - daysAgo * 86_400_000);
  const status = STATUSES[i % STATUSES.length]!;
  await db.transaction(async (tx) => {
    await tx.query('UPDATE support_requests SET created_at = $2, priority = $3 WHERE id = $1', [ticket.id, createdAt, PRIORITIES[i % PRIORITIES.length]]);
    await tx.query(`UPDATE support_analytics SET created_at = $2 WHERE request_id = $1`, [ticket.id, createdAt]);
    await tx.query(`UPDATE support_messages SET created_at = $2 WHERE request_id = $1`, [ticket.id, createdAt]);
    if (status !== 'open' || i % 3 === 0) {
      const { message } = await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: REPLIES[demo.lang][0] });
      // A first response 5 to 180 minutes after the ticket, as the dashboard would show for real.
      const responseSeconds = 300 + ((i * 7919) % 10_500);
      const repliedAt = new Date(createdAt.getTime() + responseSeconds * 1000);
      await tx.query('UPDATE support_messages SET created_at = $2 WHERE id = $1', [message.id, repliedAt]);
      await tx.query('UPDATE support_requests SET last_agent_reply_at = $2 WHERE id = $1', [ticket.id, repliedAt]);
      await tx.query(
        `UPDATE support_analytics SET created_at = $2, response_time_seconds = $3 WHERE request_id = $1 AND metric_type = 'agent_response'`,
        [ticket.id, repliedAt, responseSeconds],
      );
      await tx.query(
        `UPDATE support_analytics SET created_at = $2 WHERE request_id = $1 AND metric_type = 'message_sent' AND metadata->>'author_type' = 'agent'`,
        [ticket.id, repliedAt],
      );
    }
    if (status !== 'open') {
      await setTicketStatus(tx, ticket.id, status);
    }
  });
}
process.stdout.write(`Seeded ${count} demo tickets into ${db.kind === 'postgres' ? 'the PostgreSQL server' : config.dataDir}.\n`);
await db.close();
