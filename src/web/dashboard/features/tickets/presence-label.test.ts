import { beforeAll, describe, expect, it } from 'vitest';
import { fixedT } from '../../../lib/i18n.ts';
import { initDashboardI18n } from '../../../staff/i18n.ts';
import { presenceLabel } from './presence-label.ts';

beforeAll(async () => {
  await initDashboardI18n();
});

describe('presenceLabel', () => {
  it('says "only you" when the reader is the only agent on the ticket', () => {
    expect(presenceLabel(1, fixedT('en', 'dashboard'))).toBe('Only you are viewing this ticket');
    expect(presenceLabel(1, fixedT('fr', 'dashboard'))).toBe('Personne d’autre ne consulte ce ticket');
    expect(presenceLabel(1, fixedT('nl', 'dashboard'))).toBe('Alleen jij bekijkt dit ticket');
  });

  it('counts the other agents, not the reader', () => {
    const en = fixedT('en', 'dashboard');
    expect(presenceLabel(2, en)).toBe('1 other agent is viewing this ticket');
    expect(presenceLabel(4, en)).toBe('3 other agents are viewing this ticket');
    expect(presenceLabel(2, fixedT('fr', 'dashboard'))).toBe('1 autre agent consulte ce ticket');
    expect(presenceLabel(3, fixedT('nl', 'dashboard'))).toBe('Nog 2 andere agenten bekijken dit ticket');
  });

  it('says "only you" before the server has counted the reader (a count of 0)', () => {
    expect(presenceLabel(0, fixedT('en', 'dashboard'))).toBe('Only you are viewing this ticket');
  });
});
