import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The French the bot shows (FAQ titles, answers and phrasings; canned replies) follows French
// typography like the locales do (src/contracts/locale-style.test.ts): a no-break space before : ; ? !,
// inside « », and between a number and %, €, h or min.
const read = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')) as unknown;
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
const PLAIN_SPACE = / [:;?!»]|« |\d (%|€|h|min)(?!\p{L})/u;

describe('French bot content', () => {
  it('has the check catch a plain space where French wants a no-break one', () => {
    for (const bad of ['Halal ?', 'Oui !', 'horaires : 11h', '« FAQ »', '100 %', '25 min']) expect(bad).toMatch(PLAIN_SPACE);
    for (const good of ['Halal\u202f?', 'Oui\u202f!', 'horaires\u00a0: 11h', '«\u00a0FAQ\u00a0»', '100\u00a0%', '25\u00a0min', '12h-14h']) expect(good).not.toMatch(PLAIN_SPACE);
  });

  it('puts no plain space before : ; ? ! », after «, or before %, €, h, min in the FAQ and the canned replies', () => {
    const faq = strings(read('../faq/content/fr.json'));
    const canned = strings((read('./content/canned-replies.json') as { fr: unknown }).fr);
    expect([...faq, ...canned].filter((s) => PLAIN_SPACE.test(s))).toEqual([]);
  });
});
