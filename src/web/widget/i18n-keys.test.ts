import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../contracts/common.ts';
import { WEB_LANGS } from '../lib/i18n.ts';

const LOCALES = fileURLToPath(new URL('../../../locales/', import.meta.url));

function leafKeys(obj: unknown, prefix = ''): string[] {
  if (!obj || typeof obj !== 'object') return [prefix.slice(0, -1)];
  return Object.entries(obj).flatMap(([k, v]) => leafKeys(v, `${prefix}${k}.`));
}
const keysOf = (lang: string, ns: string) => leafKeys(JSON.parse(readFileSync(`${LOCALES}${lang}/${ns}.json`, 'utf8'))).sort();

describe('translations', () => {
  it('the web pages speak exactly the contract languages', () => {
    expect([...WEB_LANGS]).toEqual([...LANGS]);
  });

  it.each(['widget', 'common'])('every key of %s.json exists in fr, en and nl', (ns) => {
    const fr = keysOf('fr', ns);
    expect(fr.length).toBeGreaterThan(0);
    for (const lang of ['en', 'nl']) {
      const other = keysOf(lang, ns);
      expect({ lang, missing: fr.filter((k) => !other.includes(k)), extra: other.filter((k) => !fr.includes(k)) }).toEqual({ lang, missing: [], extra: [] });
    }
  });

  it('no translation of the widget is empty', () => {
    for (const lang of LANGS) {
      const walk = (o: unknown, path: string): void => {
        if (typeof o === 'string') expect(o.trim(), `${lang}:${path}`).not.toBe('');
        else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
      };
      for (const ns of ['widget', 'common']) walk(JSON.parse(readFileSync(`${LOCALES}${lang}/${ns}.json`, 'utf8')), ns);
    }
  });

  it('has the same namespaces in every language', () => {
    const files = (lang: string) => readdirSync(`${LOCALES}${lang}`).filter((f) => f.endsWith('.json')).sort();
    expect(files('en')).toEqual(files('fr'));
    expect(files('nl')).toEqual(files('fr'));
  });
});
