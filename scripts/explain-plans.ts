import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { TicketQueueQuery } from '../src/contracts/agents.ts';
import type { Queryable, QueryResult } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { PostgresDb } from '../src/server/db/postgres.ts';
import { listQueue } from '../src/server/modules/tickets/queue.repo.ts';
import {
  intentCounts,
  resolutionTimes,
  responseTimes,
  satisfaction,
  ticketCounts,
  ticketsPerDay,
} from '../src/server/modules/analytics/analytics-report.repo.ts';
import { reportRange } from '../src/server/modules/analytics/analytics.service.ts';

const USAGE = `Usage: tsx scripts/explain-plans.ts [--url postgres://…] [--tickets 1000000] [--out docs/query-plans.md] [--keep]
Fills a new schema of the PostgreSQL server with generated tickets, ANALYZEs it, and prints EXPLAIN (ANALYZE, BUFFERS)
of the agent queue and analytics queries — the very SQL of the repositories. The schema is dropped unless --keep.`;

/**
 * A Queryable that runs EXPLAIN ANALYZE of each statement instead of the statement: the repository
 * functions are called unchanged, so the plans shown are those of the SQL the server sends.
 */
function explaining(db: PostgresDb, plans: string[]): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
      // One empty row: callers that read rows[0] get undefined fields, not a crash.
      return { rows: [{} as T], rowCount: 0 };
    },
    async exec() {
      throw new Error('not used');
    },
  };
}

/**
 * 1,000,000 tickets over the last 1,000 days (one every 86.4 s at 1 M). Older tickets are resolved or
 * closed, the last ~2 % still open or pending, as in a working helpdesk; priorities 5 % urgent,
 * 20 % high, ~25 % low. Each has its opening message and ticket_created row (intents rotate); 90 % a
 * first response, resolved ones a ticket_resolved row, one in five of those a rating.
 */
async function fill(db: PostgresDb, tickets: number) {
  await db.query(
    `INSERT INTO support_requests (email, message, status, priority, lang, token_hash, created_at, updated_at,
                                   last_message_seq, last_agent_reply_at, resolved_at)
     SELECT 'customer' || (i % 50000) || '@example.com',
            'Generated ticket ' || i || CASE i % 4 WHEN 0 THEN ' my order is late' WHEN 1 THEN ' allergy question'
                                           WHEN 2 THEN ' refund please' ELSE ' thanks for the pizza' END,
            CASE WHEN i > $1 * 0.98 THEN (ARRAY['open', 'open', 'open', 'pending', 'resolved'])[1 + i % 5]
                 WHEN i % 10 < 7 THEN 'resolved' ELSE 'closed' END,
            CASE WHEN i % 20 = 0 THEN 'urgent' WHEN i % 5 = 1 THEN 'high' WHEN i % 4 = 2 THEN 'low' ELSE 'normal' END,
            (ARRAY['fr', 'en', 'nl'])[1 + i % 3],
            md5(i::text),
            ts, ts + make_interval(mins => i % 600), 1,
            CASE WHEN i % 10 <> 9 THEN ts + make_interval(secs => 30 + (i::bigint * 7919) % 7200) END,
            CASE WHEN i <= $1 * 0.98 THEN ts + make_interval(mins => 30 + i % 1440) END
       FROM generate_series(1, $1::int) AS i,
            LATERAL (SELECT now() - make_interval(secs => ($1 - i) * 86400.0 * 1000 / $1) AS ts) t`,
    [tickets],
  );
  await db.query(
    `INSERT INTO support_messages (request_id, author_type, body, seq, created_at)
     SELECT id, 'user', message, 1, created_at FROM support_requests`,
  );
  await db.query(
    `INSERT INTO support_analytics (metric_type, request_id, user_intent, created_at)
     SELECT 'ticket_created', id,
            (ARRAY['faq', 'problem', 'complaint', 'compliment', 'order_tracking', 'general_inquiry', 'unknown'])[1 + abs(hashtext(id::text)) % 7],
            created_at
       FROM support_requests`,
  );
  await db.query(
    `INSERT INTO support_analytics (metric_type, request_id, response_time_seconds, created_at)
     SELECT 'agent_response', id, extract(epoch FROM last_agent_reply_at - created_at)::int, last_agent_reply_at
       FROM support_requests WHERE last_agent_reply_at IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO support_analytics (metric_type, request_id, resolution_time_seconds, created_at)
     SELECT 'ticket_resolved', id, extract(epoch FROM resolved_at - created_at)::int, resolved_at
       FROM support_requests WHERE resolved_at IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO support_analytics (metric_type, request_id, metadata, created_at)
     SELECT 'user_satisfaction', id, jsonb_build_object('score', 1 + abs(hashtext(id::text)) % 5), resolved_at + interval '1 hour'
       FROM support_requests WHERE resolved_at IS NOT NULL AND abs(hashtext(id::text || 'r')) % 5 = 0`,
  );
  // VACUUM sets the visibility map, so index-only scans do not visit the heap (as autovacuum would).
  await db.exec('VACUUM ANALYZE support_requests');
  await db.exec('VACUUM ANALYZE support_messages');
  await db.exec('VACUUM ANALYZE support_analytics');
}

type Case = { title: string; why: string; run: (q: Queryable) => Promise<unknown> };

function queueCase(title: string, why: string, query: Partial<TicketQueueQuery>): Case {
  const full: TicketQueueQuery = { status: 'open', sort: 'created_at', order: 'desc', page: 1, limit: 20, ...query };
  return { title, why, run: (q) => listQueue(q, full) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      tickets: { type: 'string', default: '1000000' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = values.url ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const tickets = Number(values.tickets);
  if (!Number.isInteger(tickets) || tickets < 1000) throw new Error('--tickets must be an integer ≥ 1000');

  const schema = `explain_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // Filling 1 M rows and building GIN indexes take minutes: no per-query timeout here.
  const db = new PostgresDb({ connectionString: url, schema, max: 2, queryTimeoutMs: 0 });
  const started = Date.now();
  try {
    await migrate(db);
    // The trigram indexes (0008) are dropped while filling (bulk GIN inserts are slow) and built after
    // the search plans without them: the same data, the same load, before and after.
    const { rows: trigram } = await db.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\\_trgm'`,
    );
    if (trigram.length !== 3) throw new Error(`expected the 3 trigram indexes of migration 0008, found ${trigram.length}`);
    for (const t of trigram) await db.exec(`DROP INDEX ${t.name}`);
    await fill(db, tickets);
    const filledSeconds = ((Date.now() - started) / 1000).toFixed(0);
    const { rows: server } = await db.query<{ v: string }>('SELECT version() AS v');
    const { rows: counts } = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM support_requests GROUP BY status ORDER BY status',
    );

    const last30 = reportRange({});
    const lastYear = reportRange({ from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10) });
    // A common word (a quarter of the tickets), a rare one (one ticket in 10,000), part of an e-mail.
    const searchCases: Case[] = [
      queueCase('Search: every ticket, a common word (q=refund)', 'status=all&q=refund (250,000 matches at 1 M)', { status: 'all', q: 'refund' }),
      queueCase('Search: every ticket, a rare word (q=ticket 4242)', 'status=all&q=ticket 4242 (111 matches at 1 M)', { status: 'all', q: 'ticket 4242' }),
      queueCase('Search: every ticket, part of an e-mail (q=customer4242@)', 'status=all&q=customer4242@ (20 matches at 1 M)', { status: 'all', q: 'customer4242@' }),
      queueCase('Search: open tickets, a common word (q=refund)', 'status=open&q=refund', { q: 'refund' }),
    ];
    const without: string[] = [];
    for (const c of searchCases) {
      const plans: string[] = [];
      await c.run(explaining(db, plans));
      without.push(`### Without the trigram indexes — ${c.title}\n\n${c.why}\n\n\`\`\`\n${plans.join('\n\n-- next statement of the same call --\n\n')}\n\`\`\`\n`);
    }
    const builds: string[] = [];
    for (const t of trigram) {
      const t0 = Date.now();
      await db.exec(t.def);
      builds.push(`${t.name} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    await db.exec('ANALYZE support_requests');
    await db.exec('ANALYZE support_messages');
    const { rows: load } = await db.query<{ load: string }>(
      `SELECT pg_size_pretty(sum(pg_relation_size(indexname::regclass))) AS load FROM pg_indexes
        WHERE schemaname = current_schema() AND indexname LIKE '%\\_trgm'`,
    );

    const cases: Case[] = [
      queueCase('Queue: open tickets, newest first (the default)', 'status=open&sort=created_at&order=desc&page=1&limit=20', {}),
      queueCase('Queue: open and urgent', 'status=open&priority=urgent', { priority: 'urgent' }),
      queueCase('Queue: pending, by last activity', 'status=pending&sort=updated_at', { status: 'pending', sort: 'updated_at' }),
      queueCase('Queue: open, by urgency', 'status=open&sort=priority', { sort: 'priority' }),
      queueCase('Queue: every ticket, by last activity, page 50', 'status=all&sort=updated_at&page=50', { status: 'all', sort: 'updated_at', page: 50 }),
      queueCase('Queue: every ticket, oldest first, page 1', 'status=all&order=asc', { status: 'all', order: 'asc' }),
      ...searchCases,
      ...[
        ['last 30 days', last30],
        ['last 366 days', lastYear],
      ].flatMap(([label, range]) => {
        const r = range as typeof last30;
        return [
          { title: `Analytics (${label}): tickets by status and priority`, why: 'totalTickets, statusBreakdown, priorityBreakdown, resolutionRate', run: (q: Queryable) => ticketCounts(q, r) },
          { title: `Analytics (${label}): tickets per day`, why: 'ticketsPerDay', run: (q: Queryable) => ticketsPerDay(q, r) },
          { title: `Analytics (${label}): first-response times`, why: 'avgResponseTimeSeconds, p90ResponseTimeSeconds', run: (q: Queryable) => responseTimes(q, r) },
          { title: `Analytics (${label}): resolution times`, why: 'avgResolutionTimeSeconds', run: (q: Queryable) => resolutionTimes(q, r) },
          { title: `Analytics (${label}): intents`, why: 'intentBreakdown', run: (q: Queryable) => intentCounts(q, r) },
          { title: `Analytics (${label}): satisfaction`, why: 'csat', run: (q: Queryable) => satisfaction(q, r) },
        ] satisfies Case[];
      }),
    ];

    const sections: string[] = [];
    const scans: string[] = [];
    for (const c of cases) {
      const plans: string[] = [];
      await c.run(explaining(db, plans));
      const text = plans.join('\n\n-- next statement of the same call --\n\n');
      const seq = /Seq Scan on support_(requests|messages)/.test(text);
      if (seq) scans.push(c.title);
      sections.push(`### ${c.title}\n\n${c.why}${seq ? '\n\n**Reads a table sequentially.**' : ''}\n\n\`\`\`\n${text}\n\`\`\`\n`);
    }

    const report = [
      `Generated by \`tsx scripts/explain-plans.ts\` on ${new Date().toISOString().slice(0, 10)}: ${tickets.toLocaleString('en')} tickets,`,
      `filled and analysed in ${filledSeconds} s. ${server[0]!.v.split(' on ')[0]}.`,
      `Tickets by status: ${counts.map((c) => `${c.status} ${c.n.toLocaleString('en')}`).join(', ')}.`,
      `Load average while it ran (1, 5, 15 min) at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores.`,
      `Trigram indexes (0008) built after the fill in: ${builds.join(', ')}; ${load[0]!.load} together.`,
      '',
      scans.length
        ? `Plans reading support_requests or support_messages sequentially: ${scans.join('; ')}.`
        : 'No queue, search or analytics query reads support_requests or support_messages sequentially.',
      '',
      ...sections,
      '## The same searches without the trigram indexes (before migration 0008)',
      '',
      ...without,
    ].join('\n');
    if (values.out) {
      const { readFile } = await import('node:fs/promises');
      const current = await readFile(values.out, 'utf8').catch(() => '');
      const marker = '<!-- generated plans below -->';
      const head = current.includes(marker) ? current.slice(0, current.indexOf(marker)) : '# Query plans\n\n';
      await writeFile(values.out, `${head}${marker}\n\n${report}`);
      process.stdout.write(`Plans written to ${values.out}\n`);
    } else {
      process.stdout.write(`${report}\n`);
    }
    if (scans.length) process.exitCode = 1;
  } finally {
    await db.close();
    if (!values.keep) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    else process.stdout.write(`Schema kept: ${schema}\n`);
    await admin.end();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
