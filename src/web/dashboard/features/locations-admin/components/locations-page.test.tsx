// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdminLocation, Schedule } from '../../../../../contracts/locations.ts';
import { fixedT } from '../../../../lib/i18n.ts';
import { DASHBOARD_NS } from '../../../../staff/i18n.ts';
import { jsonResponse, mountFetchingStory, q, recordRequests, settle, submit, typeInto, type SentRequest } from '../../../test/page-harness.tsx';
import meta from './locations-page.stories.tsx';

// Issue 19: the restaurants admin page loads the restaurants and the support hours through the API, and
// saves them with the contract's bodies (PUT /api/agent/locations/:id, PUT /api/agent/support-hours).
// The page renders as its story does (i18n, language), but inside a QueryClient that really fetches, so
// the test sees every request the page makes.

const locations: AdminLocation[] = [
  {
    id: 'ghent',
    name: 'Tasty Food Gent',
    address: 'Korenmarkt 1, 9000 Gent',
    city: 'Gent',
    timezone: 'Europe/Brussels',
    postcodes: ['9000'],
    hours: [{ day: 1, open: '11:00', close: '23:00' }],
    exceptions: [],
    updatedAt: '2026-12-01T10:00:00.000Z',
  },
  {
    id: 'lille',
    name: 'Tasty Food Lille',
    city: 'Lille',
    timezone: 'Europe/Paris',
    postcodes: ['59000'],
    hours: [{ day: 2, open: '11:30', close: '14:30' }, { day: 2, open: '18:00', close: '23:00' }],
    exceptions: [{ date: '2026-12-31', hours: [{ open: '11:00', close: '03:00' }] }],
    updatedAt: '2026-12-01T10:00:00.000Z',
  },
];
const supportHours: Schedule = { timezone: 'Europe/Brussels', hours: [{ day: 1, open: '09:00', close: '18:00' }], exceptions: [] };

/** Answers the page's requests as the server would, and records them. */
function stubServer(): SentRequest[] {
  return recordRequests(({ method, url, body }) => {
    if (method === 'GET' && url === '/api/agent/locations') return jsonResponse({ locations });
    if (method === 'GET' && url === '/api/agent/support-hours') return jsonResponse({ supportHours });
    const put = /^\/api\/agent\/locations\/([^/]+)$/.exec(url);
    if (method === 'PUT' && put) return jsonResponse({ location: { ...(body as object), id: put[1], updatedAt: '2026-12-02T09:00:00.000Z' } });
    if (method === 'PUT' && url === '/api/agent/support-hours') return jsonResponse({ supportHours: body });
  });
}

const mountPage = (lang: 'fr' | 'en' | 'nl') => mountFetchingStory(meta, lang);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('restaurants admin page', () => {
  it('loads both restaurants, saves an edited one with the contract body of PUT /api/agent/locations/:id', async () => {
    const sent = stubServer();
    const { container, unmount } = await mountPage('en');
    await settle();
    expect(sent.map((s) => `${s.method} ${s.url}`).sort()).toEqual(['GET /api/agent/locations', 'GET /api/agent/support-hours']);
    expect(q(container, '#location-ghent-heading').textContent).toBe('Tasty Food Gent');
    expect(q<HTMLInputElement>(container, '#location-lille-day-2').value).toBe('11:30-14:30, 18:00-23:00');
    expect(q<HTMLTextAreaElement>(container, '#location-lille-exceptions').value).toBe('2026-12-31 11:00-03:00');
    // Weekday labels in the page's language, Monday first.
    expect(q(container, 'label:has(#location-lille-day-1) span').textContent).toBe('Monday');

    sent.length = 0;
    await typeInto(q(container, '#location-lille-day-1'), '11:00-23:00');
    await typeInto(q(container, '#location-lille-day-2'), '');
    await typeInto(q(container, '#location-lille-day-5'), '18:00-02:00');
    await typeInto(q(container, '#location-lille-postcodes'), '59000, 59800 59160');
    await typeInto(q(container, '#location-lille-exceptions'), '2026-12-25 closed\n\n2026-12-31 11:00-03:00');
    await submit(q<HTMLFormElement>(container, 'form[aria-labelledby="location-lille-heading"]'));

    expect(sent[0]).toEqual({
      method: 'PUT',
      url: '/api/agent/locations/lille',
      body: {
        name: 'Tasty Food Lille',
        city: 'Lille',
        timezone: 'Europe/Paris',
        postcodes: ['59000', '59800', '59160'],
        hours: [
          { day: 1, open: '11:00', close: '23:00' },
          { day: 5, open: '18:00', close: '02:00' },
        ],
        exceptions: [
          { date: '2026-12-25', closed: true },
          { date: '2026-12-31', hours: [{ open: '11:00', close: '03:00' }] },
        ],
      },
    });
    // Only the edited restaurant is sent; the list is read again after the save.
    expect(sent.slice(1).map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/agent/locations']);
    const status = q(container, 'form[aria-labelledby="location-lille-heading"] [role="status"]');
    expect(status.textContent).toBe('Saved.');
    await unmount();
  });

  it.each(['fr', 'nl'] as const)('refuses unreadable hours in the page language (%s) and sends nothing', async (lang) => {
    const sent = stubServer();
    const { container, unmount } = await mountPage(lang);
    await settle();
    sent.length = 0;
    const t = fixedT(lang, DASHBOARD_NS);
    const monday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1)));
    const form = q<HTMLFormElement>(container, 'form[aria-labelledby="location-ghent-heading"]');
    await typeInto(q(container, '#location-ghent-day-1'), '11h-23h');
    await submit(form);
    expect(sent).toEqual([]);
    const status = q(form, '[role="status"]').textContent;
    expect(status).toBe(t('locations.badDay', { day: monday }));
    expect(status).toContain(lang === 'fr' ? 'lundi' : 'maandag');

    // A time the contract refuses (24:00) is refused by the page too, naming the day (Friday).
    await typeInto(q(container, '#location-ghent-day-1'), '11:00-23:00');
    await typeInto(q(container, '#location-ghent-day-5'), '11:00-24:00');
    await submit(form);
    expect(sent).toEqual([]);
    const friday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 5)));
    expect(q(form, '[role="status"]').textContent).toBe(t('locations.badDay', { day: friday }));

    await typeInto(q(container, '#location-ghent-day-5'), '11:00-02:00');
    await typeInto(q(container, '#location-ghent-exceptions'), '25/12 closed');
    await submit(form);
    expect(sent).toEqual([]);
    expect(q(form, '[role="status"]').textContent).toBe(t('locations.badException', { line: 1 }));
    await unmount();
  });

  it('saves the support team hours through PUT /api/agent/support-hours', async () => {
    const sent = stubServer();
    const { container, unmount } = await mountPage('en');
    await settle();
    sent.length = 0;
    await typeInto(q(container, '#support-day-1'), '09:00-12:00, 13:00-18:00');
    await typeInto(q(container, '#support-day-6'), '10:00-14:00');
    await typeInto(q(container, '#support-exceptions'), '2026-12-25 closed');
    await typeInto(q(container, '#support-timezone'), 'Europe/Paris');
    const section = q(container, 'section[aria-labelledby="support-hours-heading"]');
    await submit(q<HTMLFormElement>(section, 'form'));
    expect(sent[0]).toEqual({
      method: 'PUT',
      url: '/api/agent/support-hours',
      body: {
        timezone: 'Europe/Paris',
        hours: [
          { day: 1, open: '09:00', close: '12:00' },
          { day: 1, open: '13:00', close: '18:00' },
          { day: 6, open: '10:00', close: '14:00' },
        ],
        exceptions: [{ date: '2026-12-25', closed: true }],
      },
    });
    expect(sent.some((s) => s.url.startsWith('/api/agent/locations/'))).toBe(false);
    expect(q(section, '[role="status"]').textContent).toBe('Saved.');
    await unmount();
  });
});
