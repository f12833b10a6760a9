import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { exitOnCrash, recordBackgroundError } from './errors.service.ts';
import { createSentryReporter } from './sentry.ts';

const TOKEN = 'Zq8Jd9_aQwErTyUiOpAsDfGhJkLzXcVbNm123456789';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb?.cleanup();
});

async function rowsFor(task: string) {
  const { rows } = await testDb.db.query<{ source: string; error_type: string; message: string; stack: string | null }>(
    `SELECT source, error_type, message, stack FROM error_logs WHERE context->>'task' = $1`,
    [task],
  );
  return rows;
}

describe('errors outside a request', () => {
  it('a background task’s error is kept in error_logs with the task’s name, its secrets redacted', async () => {
    await recordBackgroundError({ db: testDb.db, reporter: null, err: new TypeError(`no ticket for Bearer ${TOKEN}`), task: 'escalation' });
    const rows = await rowsFor('escalation');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'server', error_type: 'TypeError' });
    expect(rows[0]!.message).toContain('no ticket for');
    expect(JSON.stringify(rows[0])).not.toContain(TOKEN);
  });

  it('an uncaught exception is logged as fatal, recorded once, and the process exits with 1', async () => {
    const source = new EventEmitter();
    const fatal: string[] = [];
    const exited = new Promise<number>((resolve) =>
      exitOnCrash({
        source,
        logger: { fatal: (_obj, msg) => fatal.push(msg) },
        record: (err, task) => recordBackgroundError({ db: testDb.db, reporter: null, err, task }),
        exit: resolve,
      }),
    );
    source.emit('uncaughtException', new RangeError('the fryer overflowed'));
    source.emit('unhandledRejection', new Error('and then this'));
    expect(await exited).toBe(1);
    expect(fatal).toEqual(['uncaughtException: the process stops', 'unhandledRejection: the process stops']);
    expect((await rowsFor('uncaughtException')).map((r) => r.message)).toEqual(['the fryer overflowed']);
    expect(await rowsFor('unhandledRejection')).toEqual([]);
  });

  it('exits even when recording hangs (the database may be the cause)', async () => {
    const source = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      exitOnCrash({ source, logger: { fatal: () => {} }, record: () => new Promise(() => {}), exit: resolve, recordTimeoutMs: 50 }),
    );
    source.emit('unhandledRejection', 'a rejected string');
    expect(await exited).toBe(1);
  });

  it('sends a background error to Sentry, tagged with its task and scrubbed, when a DSN is set', async () => {
    const bodies: string[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        bodies.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const reporter = await createSentryReporter({ dsn: `http://publickey@127.0.0.1:${port}/1`, environment: 'test', release: 'test@1' });
      await recordBackgroundError({ db: testDb.db, reporter, err: new Error(`worker lost password=${TOKEN}`), task: 'email-worker' });
      await reporter.close(5000);
      const all = bodies.join('\n');
      expect(all).toContain('"task":"email-worker"');
      expect(all).toContain('worker lost');
      expect(all).not.toContain(TOKEN);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
