import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';

describe('formatDuration', () => {
  it('keeps a no-break space between a French number and its unit ("12 min", not "12min")', () => {
    expect(formatDuration(12 * 60, 'fr')).toMatch(/^12[\u00a0\u202f]min$/);
    expect(formatDuration(2 * 3600 + 5 * 60, 'fr')).toMatch(/^2[\u00a0\u202f]h 5[\u00a0\u202f]min$/);
  });

  it('writes Dutch hours as "uur", never the bare "u"', () => {
    expect(formatDuration(3 * 3600, 'nl')).toMatch(/^3[\u00a0\u202f ]uur$/);
  });
});
