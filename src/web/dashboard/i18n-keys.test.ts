import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AGENT_ROLES, QUEUE_SORTS } from '../../contracts/agents.ts';
import { SUGGESTION_KINDS } from '../../contracts/bot.ts';
import { LANGS } from '../../contracts/common.ts';
import { EMAIL_STATUSES } from '../../contracts/email.ts';
import { ORDER_STATUSES } from '../../contracts/orders.ts';
import { AUTHOR_TYPES, INTENTS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../contracts/tickets.ts';
import { REALTIME_STATES } from '../lib/realtime-client.ts';

const LOCALES = fileURLToPath(new URL('../../../locales/', import.meta.url));
const WEB = fileURLToPath(new URL('../', import.meta.url));

function leafKeys(obj: unknown, prefix = ''): string[] {
  if (typeof obj === 'string') return [prefix.slice(0, -1)];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => leafKeys(v, `${prefix}${k}.`));
}
const dashboard = (lang: string) => JSON.parse(readFileSync(`${LOCALES}${lang}/dashboard.json`, 'utf8')) as unknown;
const keysOf = (lang: string) => leafKeys(dashboard(lang)).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A key exists when it is a leaf, or when its plural forms (_one, _other) are. */
const hasKey = (keys: string[], key: string) => keys.includes(key) || (keys.includes(`${key}_one`) && keys.includes(`${key}_other`));

describe('dashboard and debug page translations', () => {
  it('every key of dashboard.json exists in fr, en and nl, none empty', () => {
    const fr = keysOf('fr');
    expect(fr.length).toBeGreaterThan(100);
    for (const lang of LANGS) {
      const keys = keysOf(lang);
      expect({ lang, missing: fr.filter((k) => !keys.includes(k)), extra: keys.filter((k) => !fr.includes(k)) }).toEqual({ lang, missing: [], extra: [] });
      const empty = keys.filter((k) => {
        const value = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], dashboard(lang));
        return typeof value !== 'string' || value.trim() === '';
      });
      expect({ lang, empty }).toEqual({ lang, empty: [] });
    }
  });

  it('every literal key the pages translate exists', () => {
    const keys = keysOf('fr');
    const used = new Set<string>();
    for (const file of ['dashboard', 'staff', 'debug'].flatMap((dir) => sourceFiles(join(WEB, dir)))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !hasKey(keys, k))).toEqual([]);
  });

  it('every key built from a contract value exists', () => {
    const keys = keysOf('fr');
    const built = [
      ...TICKET_STATUSES.map((s) => `status.${s}`),
      ...TICKET_PRIORITIES.map((p) => `priority.${p}`),
      ...AUTHOR_TYPES.map((a) => `author.${a}`),
      ...AGENT_ROLES.map((r) => `roles.${r}`),
      ...INTENTS.map((i) => `intent.${i}`),
      ...QUEUE_SORTS.map((s) => `queue.sortBy.${s}`),
      ...SUGGESTION_KINDS.map((k) => `ticket.suggestionKind.${k}`),
      ...ORDER_STATUSES.map((s) => `orderStatus.${s}`),
      ...EMAIL_STATUSES.map((s) => `debug.emails.status.${s}`),
      ...LANGS.map((l) => `languages.${l}`),
      ...REALTIME_STATES.map((s) => `connection.${s}`),
    ];
    expect(built.filter((k) => !hasKey(keys, k))).toEqual([]);
  });
});
