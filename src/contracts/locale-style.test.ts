import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LOCALES = fileURLToPath(new URL('../../locales/', import.meta.url));

/** Every text of one language's file, with its key. */
function texts(lang: string, file: string): Array<[string, string]> {
  const walk = (value: unknown, prefix: string): Array<[string, string]> =>
    typeof value === 'string'
      ? [[prefix, value]]
      : Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => walk(v, prefix ? `${prefix}.${k}` : k));
  return walk(JSON.parse(readFileSync(`${LOCALES}${lang}/${file}`, 'utf8')), '');
}
const files = (lang: string) => readdirSync(`${LOCALES}${lang}`).filter((f) => f.endsWith('.json'));
const offending = (lang: string, pattern: RegExp, only?: string) =>
  files(lang)
    .filter((f) => !only || f === only)
    .flatMap((f) => texts(lang, f).filter(([, text]) => pattern.test(text)).map(([key, text]) => `${f} ${key}: ${text}`));

// Tasty Food speaks to its customers (and agents) informally in Dutch: "je/jij/jouw", never "u/uw".
// `\p{L}` bounds the words, so "uur", "uit" and "jouw" pass while "u", "Uw" or "24 u" (for uur) do not.
const FORMAL_DUTCH = /(?<!\p{L})(u|uw|U|Uw|UW)(?!\p{L})/u;

describe('Dutch texts', () => {
  it('has the formal-register detector catch what it is meant to', () => {
    for (const formal of ['Kunt u dit controleren?', 'Bedankt voor uw bericht.', 'U hebt gewonnen', 'reactie in 24 u']) expect(formal).toMatch(FORMAL_DUTCH);
    for (const informal of ['Kun je dit controleren?', 'Bedankt voor je bericht.', 'Jouw bestelling is er binnen het uur', 'uit']) expect(informal).not.toMatch(FORMAL_DUTCH);
  });

  it('use the informal register everywhere (no "u", "uw", "kunt u")', () => {
    expect(offending('nl', FORMAL_DUTCH)).toEqual([]);
  });
});

describe('French texts', () => {
  it('put no plain space before : ; ? ! (a no-break space, as French typography wants)', () => {
    expect(offending('fr', / [:;?!]/)).toEqual([]);
  });

  it('keep a no-break space between a number and "min", "h", "€" or "%"', () => {
    expect(offending('fr', /(\d|\}\})( ?)(min|h|€|%)(?!\p{L})/u)).toEqual([]);
  });

  it('quote with « » in e-mails, never an ASCII "', () => {
    expect(offending('fr', /"/, 'emails.json')).toEqual([]);
  });
});
