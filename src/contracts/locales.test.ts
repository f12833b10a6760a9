import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGS } from './common.ts';

const LOCALES = fileURLToPath(new URL('../../locales/', import.meta.url));

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

function load(lang: string, file: string): unknown {
  return JSON.parse(readFileSync(`${LOCALES}${lang}/${file}`, 'utf8'));
}

// Every text of the web pages, e-mails and API errors exists in French, English and Dutch.
describe('locale files', () => {
  const files = readdirSync(`${LOCALES}fr`).filter((f) => f.endsWith('.json'));

  it('have the same files in every language', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const lang of LANGS) expect(readdirSync(`${LOCALES}${lang}`).filter((f) => f.endsWith('.json')).sort()).toEqual(files.sort());
  });

  for (const file of files) {
    it(`${file} has the same keys in fr, en and nl, none of them empty`, () => {
      const fr = keys(load('fr', file)).sort();
      for (const lang of LANGS) {
        const data = load(lang, file);
        expect(keys(data).sort(), `${lang}/${file}`).toEqual(fr);
        const empty = keys(data).filter((k) => {
          const v = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)?.[part], data);
          return typeof v !== 'string' || v.trim() === '';
        });
        expect(empty, `${lang}/${file} empty values`).toEqual([]);
      }
    });
  }
});
