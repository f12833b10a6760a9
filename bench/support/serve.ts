import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { PostgresDb } from '../../src/server/db/postgres.ts';

// A server on an existing schema, in its own process, so that the load generator does not share its CPU.
// Prints its port on the first line of stdout. With BENCH_STATS=1 it samples its event-loop delay and
// its pool (busy, idle, waiting) and prints them as one JSON line on stderr when stopped (SIGTERM);
// BENCH_APP_NAME names its connections in pg_stat_activity.
const db = new PostgresDb({
  connectionString: process.env.BENCH_DATABASE_URL!,
  schema: process.env.BENCH_SCHEMA,
  max: 20,
  applicationName: process.env.BENCH_APP_NAME,
});
const app = await buildApp({
  db,
  config: loadConfig({ PORT: '0', DEMO_DATA: 'false', RATE_LIMIT: 'off', EMAIL_WORKER: 'off', ...(process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) : {}) }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();

const stats = process.env.BENCH_STATS === '1' ? startStats() : null;
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', async () => {
  if (stats) process.stderr.write(`BENCH_STATS ${JSON.stringify(stats())}\n`);
  await app.close();
  await db.close();
  process.exit(0);
});

function startStats() {
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const samples: Array<{ busy: number; waiting: number }> = [];
  const timer = setInterval(() => {
    const { totalCount, idleCount, waitingCount } = db.pool;
    samples.push({ busy: totalCount - idleCount, waiting: waitingCount });
  }, 50);
  timer.unref();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    eld.disable();
    clearInterval(timer);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const cpu = process.cpuUsage(cpu0);
    return {
      eventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
      pool: {
        busyMean: mean(samples.map((s) => s.busy)),
        waitingMean: mean(samples.map((s) => s.waiting)),
        waitingMax: Math.max(0, ...samples.map((s) => s.waiting)),
      },
      cpuShareOfOneCore: (cpu.user + cpu.system) / 1000 / (performance.now() - t0),
    };
  };
}
