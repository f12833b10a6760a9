// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { parseTicketFragment, readTicketSession, takeTicketFromLocation } from './ticket-session.ts';

const ID = '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f';

describe('ticket session', () => {
  it('parses the e-mailed link fragment and refuses anything else', () => {
    expect(parseTicketFragment(`#ticket=${ID}&token=abc`)).toEqual({ id: ID, token: 'abc' });
    expect(parseTicketFragment('#ticket=not-a-uuid&token=abc')).toBeNull();
    expect(parseTicketFragment(`#ticket=${ID}`)).toBeNull();
    expect(parseTicketFragment('')).toBeNull();
  });

  it('stores the link and removes it from the address bar, keeping path and query', () => {
    history.replaceState(null, '', `/?embed=0#ticket=${ID}&token=tok`);
    expect(takeTicketFromLocation()).toEqual({ id: ID, token: 'tok' });
    expect(location.hash).toBe('');
    expect(location.search).toBe('?embed=0');
    expect(readTicketSession()).toEqual({ id: ID, token: 'tok' });
  });
});
