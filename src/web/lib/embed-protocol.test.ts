import { describe, expect, it } from 'vitest';
import { parseHandover } from './embed-protocol.ts';

const ID = '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f';

describe('parseHandover (what the loader and the iframe accept from each other)', () => {
  it('keeps a well-formed session and language', () => {
    expect(parseHandover({ type: 'tf-widget:keep', session: { id: ID, token: 'tok', extra: 1 }, lang: 'nl' })).toEqual({ session: { id: ID, token: 'tok' }, lang: 'nl' });
  });

  it('drops a malformed session or an unknown language, and refuses what is not an object', () => {
    expect(parseHandover({ session: { id: 'not-a-uuid', token: 'tok' }, lang: 'de' })).toEqual({ session: null, lang: null });
    expect(parseHandover({ session: { id: ID, token: 'x'.repeat(201) } })).toEqual({ session: null, lang: null });
    expect(parseHandover({ session: { id: ID, token: '' }, lang: 'fr' })).toEqual({ session: null, lang: 'fr' });
    expect(parseHandover({ session: null, lang: 'en', thread: 'a'.repeat(43) })).toEqual({ session: null, lang: 'en', thread: 'a'.repeat(43) });
    expect(parseHandover({ session: null, lang: null, thread: 'no spaces allowed here!' })).toEqual({ session: null, lang: null });
    expect(parseHandover(null)).toBeNull();
    expect(parseHandover('{"session":null}')).toBeNull();
  });
});
