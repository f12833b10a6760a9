import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { writeBotModelFile, readBotModelFile, botModelFingerprint } from '../modules/bot/bot-model-file.ts';
import { migrationsKey } from './template-key.ts';
import { PGLITE_TEMPLATE_DIR, dropStaleTemplates, dropTestDatabases, ensurePgliteTemplate, ensurePostgresTemplate } from './test-db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** The run's id: its PostgreSQL test databases are named tf_t_<id>_…, and its teardown drops any left. */
    testRunId: string;
    /** The shipped chatbot model, trained once for the run (see setup-file.ts); '' when none. */
    botModelFile: string;
  }
}

const runId = randomBytes(4).toString('hex');
let shared: Promise<{ template: string; botModel: string }> | null = null;

/** Files of .tmp/ made for other migrations or another bot model, untouched for a day. */
async function pruneTmp(keep: string[]): Promise<void> {
  const names = await readdir(PGLITE_TEMPLATE_DIR).catch(() => [] as string[]);
  const dayAgo = Date.now() - 86_400_000;
  for (const name of names) {
    if (!/^(pglite-template-|bot-model-|template-)/.test(name)) continue;
    const path = `${PGLITE_TEMPLATE_DIR}/${name}`;
    if (keep.includes(path)) continue;
    const s = await stat(path).catch(() => null);
    if (s && s.mtimeMs < dayAgo) await rm(path, { force: true });
  }
}

/**
 * What every test file would otherwise redo, made once per run (shared by the projects, and kept across
 * runs while their inputs are unchanged):
 * - the migrated PGlite database, dumped (.tmp/pglite-template-<hash of migrations/>.tar.gz): each test
 *   file starts from a copy instead of a new PGlite plus every migration;
 * - with TEST_DATABASE_URL, the migrated template database tf_tpl_<same hash> on that server, which each
 *   test file copies (CREATE DATABASE … TEMPLATE);
 * - the shipped chatbot model, trained once and stored in its own file format, stamped with the
 *   fingerprint of its inputs (.tmp/bot-model-<fingerprint>.bin): see setup-file.ts.
 * Both templates are made by the real migrate() on a new database, so they hold every migration.
 */
export default async function setup(project: TestProject) {
  shared ??= (async () => {
    const key = migrationsKey();
    const url = process.env.TEST_DATABASE_URL;
    const botModel = `${PGLITE_TEMPLATE_DIR}/bot-model-${botModelFingerprint().slice(0, 16)}.bin`;
    const [template] = await Promise.all([
      ensurePgliteTemplate(key),
      url
        ? (async () => {
            await ensurePostgresTemplate(url, key);
            await dropStaleTemplates(url, key).catch(() => {});
            await dropTestDatabases(url, { olderThanHours: 6 }).catch(() => {});
          })()
        : null,
      (async () => {
        if (!(await readBotModelFile(botModel))) await writeBotModelFile(botModel);
      })(),
    ]);
    await pruneTmp([template, botModel]);
    return { template, botModel };
  })();
  const { template, botModel } = await shared;
  project.provide('pgliteTemplate', template);
  project.provide('testRunId', runId);
  project.provide('botModelFile', botModel);
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (url) await dropTestDatabases(url, { prefix: `tf_t_${runId}_` }).catch(() => {});
  };
}
