import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationBody } from '../../../contracts/locations.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { askBot } from '../bot/index.ts';
import { seedFaq } from '../faq/index.ts';
import { answerFromData } from './bot-answers.ts';
import { saveLocation } from './locations.service.ts';

let testDb: TestDb;

const week = (close: (day: number) => string) => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:00', close: close(day) }));
const late = (d: number) => (d === 5 || d === 6 ? '02:00' : '23:00');
const gent: LocationBody = { name: 'Tasty Food Gent', city: 'Gent', timezone: 'Europe/Brussels', postcodes: ['9000'], hours: week(late), exceptions: [] };
const ixelles: LocationBody = {
  name: 'Tasty Food Ixelles',
  city: 'Bruxelles',
  timezone: 'Europe/Brussels',
  postcodes: ['1050', '1000'],
  hours: week((d) => (d === 5 || d === 6 ? '01:00' : '23:00')),
  exceptions: [{ date: '2026-12-25', closed: true }],
};

beforeAll(async () => {
  testDb = await createTestDb();
  await seedFaq(testDb.db);
  await saveLocation({ db: testDb.db, id: 'gent', body: gent });
  await saveLocation({ db: testDb.db, id: 'ixelles', body: ixelles });
});
afterAll(async () => {
  await testDb?.cleanup();
});

// Friday 11 December 2026, 21:00 in Brussels.
const FRIDAY_EVENING = new Date('2026-12-11T21:00:00+01:00');
const MONDAY_MORNING = new Date('2026-12-14T09:00:00+01:00');
const answer = (text: string, lang: 'fr' | 'en' | 'nl', now = FRIDAY_EVENING) => answerFromData({ db: testDb.db, text, lang, now });

describe('answers from the restaurants’ data', () => {
  it.each([
    ['en', 'is the Ghent restaurant open now?', 'Tasty Food Gent is open now, until 02:00 tonight.'],
    ['fr', 'le restaurant de Gand est ouvert maintenant ?', 'Tasty Food Gent est ouvert en ce moment, jusqu’à 2h00 ce soir.'],
    ['nl', 'is het restaurant in Gent nu open?', 'Tasty Food Gent is nu open, tot 02.00 uur vanavond.'],
  ] as const)('says whether a named restaurant is open now (%s)', async (lang, text, expected) => {
    expect(await answer(text, lang)).toMatchObject({ key: 'opening_hours', answer: expected, score: 1 });
  });

  it.each([
    ['en', 'Is Ghent open?', 'Tasty Food Gent is closed right now. It opens again today from 11:00, until 23:00 tonight.'],
    ['fr', 'Gand est ouvert ?', 'Tasty Food Gent est fermé pour le moment. Il rouvre aujourd’hui à partir de 11h00, jusqu’à 23h00 ce soir.'],
    ['nl', 'Is Gent open?', 'Tasty Food Gent is nu gesloten. We zijn er weer vandaag vanaf 11.00 uur, tot 23.00 uur vanavond.'],
  ] as const)('says when a closed restaurant opens (%s)', async (lang, text, expected) => {
    expect((await answer(text, lang, MONDAY_MORNING))?.answer).toBe(expected);
  });

  it.each([
    // In the order of their cities: Bruxelles, then Gent.
    ['nl', 'tot hoe laat zijn jullie open vanavond?', ['Tasty Food Ixelles is nu open, tot 01.00 uur vanavond.', 'Tasty Food Gent is nu open, tot 02.00 uur vanavond.']],
    ['en', 'until when are you open tonight?', ['Tasty Food Ixelles is open now, until 01:00 tonight.', 'Tasty Food Gent is open now, until 02:00 tonight.']],
    ['fr', 'vous êtes ouverts jusqu’à quelle heure ce soir ?', ['Tasty Food Ixelles est ouvert en ce moment, jusqu’à 1h00 ce soir.', 'Tasty Food Gent est ouvert en ce moment, jusqu’à 2h00 ce soir.']],
  ] as const)('answers "until when tonight" with every restaurant’s hours of tonight (%s)', async (lang, text, lines) => {
    expect((await answer(text, lang))?.answer.split('\n')).toEqual(lines);
  });

  it.each([
    ['fr', 'vous livrez au 1050 ?', 'Oui, Tasty Food Ixelles livre au 1050.'],
    ['en', 'do you deliver to 1050?', 'Yes, Tasty Food Ixelles delivers to 1050.'],
    ['nl', 'bezorgen jullie in 1050?', 'Ja, Tasty Food Ixelles bezorgt in 1050.'],
    ['en', 'Do you deliver to 8000?', 'Sorry, none of our restaurants delivers to 8000 yet. You can still order for pick-up.'],
    ['nl', 'leveren jullie in 8000?', 'Sorry, nog geen van onze restaurants bezorgt in 8000. Je kunt wel bestellen om af te halen.'],
  ] as const)('says who delivers to a postcode (%s: %s)', async (lang, text, expected) => {
    expect(await answer(text, lang)).toMatchObject({ key: 'delivery_zones', answer: expected, score: 1 });
  });

  it('follows an exception: Ixelles is closed on Christmas day', async () => {
    const christmas = new Date('2026-12-25T12:00:00+01:00');
    expect((await answer('Is the Ixelles restaurant open?', 'en', christmas))?.answer).toBe(
      'Tasty Food Ixelles is closed right now. It opens again tomorrow from 11:00, until Sunday 01:00.',
    );
  });

  it.each([
    ['en', 'What are your opening hours?'],
    ['fr', 'Vous livrez où ?'],
    ['en', 'Where is my order TF-1050?'],
    ['en', 'Is the food in Ghent halal?'],
    ['nl', 'Mijn bestelling van 25/12/2026 was koud'],
  ] as const)('leaves the FAQ to answer when no place or postcode is named (%s: %s)', async (lang, text) => {
    expect(await answer(text, lang)).toBeNull();
  });
});

describe('askBot with the locations hook', () => {
  it('puts the data answer first, in place of the FAQ paragraph, and needs no person', async () => {
    const res = await askBot({ db: testDb.db, text: 'vous livrez au 1050 ?', lang: 'fr' });
    expect(res.answers[0]).toMatchObject({ key: 'delivery_zones', answer: 'Oui, Tasty Food Ixelles livre au 1050.' });
    expect(res.answers.filter((a) => a.key === 'delivery_zones')).toHaveLength(1);
    expect(res.escalate).toBe(false);

    const open = await askBot({ db: testDb.db, text: 'is the Ghent restaurant open now?', lang: 'en' });
    expect(open.answers[0]?.answer).toMatch(/^Tasty Food Gent is (open now|closed right now)/);
  });

  it('keeps the FAQ paragraph when no place is named', async () => {
    const res = await askBot({ db: testDb.db, text: 'What are your opening hours?', lang: 'en' });
    expect(res.answers.some((a) => a.answer.startsWith('Tasty Food'))).toBe(false);
  });
});
