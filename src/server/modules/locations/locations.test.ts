import { beforeAll, describe, expect, it } from 'vitest';
import type { LocationBody } from '../../../contracts/locations.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { watchDb } from '../../test/watch-db.ts';
import { DEMO_LOCATIONS, seedDemoLocations } from './demo-locations.ts';

const ctx = useTestApp();
// The demo restaurants go in first: they are only loaded into a database without any.
let demoSeeded = 0;
beforeAll(async () => {
  demoSeeded = await seedDemoLocations(ctx.testDb.db);
});

const ghent: LocationBody = {
  name: 'Tasty Food Gent Test',
  address: 'Korenmarkt 1, 9000 Gent',
  phone: '+32 9 000 00 00',
  city: 'Gent',
  timezone: 'Europe/Brussels',
  postcodes: ['9990', '9991'],
  hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:00', close: day === 5 || day === 6 ? '02:00' : '23:00' })),
  exceptions: [{ date: '2026-12-25', closed: true }],
};

async function admin() {
  return (await createLoggedInAgent(ctx.app, { role: 'admin' })).cookie;
}

async function put(id: string, body: unknown, cookie: string) {
  return ctx.app.inject({ method: 'PUT', url: `/api/agent/locations/${id}`, headers: { cookie }, payload: body as object });
}

describe('PUT /api/agent/locations/:id', () => {
  it('answers 401 without a session and 403 to an agent who is not an admin', async () => {
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/agent/locations/x', payload: ghent })).statusCode).toBe(401);
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    expect((await put('x', ghent, agent.cookie)).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/api/agent/locations', headers: { cookie: agent.cookie } })).statusCode).toBe(403);
  });

  it('creates a location, then replaces it whole (postcodes, hours and exceptions)', async () => {
    const cookie = await admin();
    const created = await put('gent-test', ghent, cookie);
    expect(created.statusCode).toBe(200);
    expect(created.json().location).toMatchObject({ id: 'gent-test', ...ghent });

    const replaced = await put('gent-test', { ...ghent, postcodes: ['9992'], exceptions: [], address: undefined }, cookie);
    expect(replaced.statusCode).toBe(200);
    const { locations } = (await ctx.app.inject({ url: '/api/agent/locations', headers: { cookie } })).json();
    const stored = locations.find((l: { id: string }) => l.id === 'gent-test');
    expect(stored).toMatchObject({ postcodes: ['9992'], exceptions: [], hours: ghent.hours });
    expect(stored.address).toBeUndefined();
    expect((await ctx.app.inject({ url: '/api/locations/delivers?postcode=9990' })).json().locations).toEqual([]);
    expect((await ctx.app.inject({ url: '/api/locations/delivers?postcode=9992' })).json().locations.map((l: { id: string }) => l.id)).toEqual(['gent-test']);
  });

  it.each([
    ['a span with a bad time', { hours: [{ day: 1, open: '24:00', close: '02:00' }] }],
    ['a day outside 1..7', { hours: [{ day: 0, open: '11:00', close: '23:00' }] }],
    ['an unknown time zone', { timezone: 'Europe/Gotham' }],
    ['a postcode that is not 4 or 5 digits', { postcodes: ['B-1050'] }],
    ['the same postcode twice', { postcodes: ['9990', '9990'] }],
    ['two exceptions on one date', { exceptions: [{ date: '2026-12-25', closed: true }, { date: '2026-12-25', closed: true }] }],
    ['an exception both closed and with hours', { exceptions: [{ date: '2026-12-25', closed: true, hours: [{ open: '11:00', close: '12:00' }] }] }],
    ['an exception on an impossible date', { exceptions: [{ date: '2026-02-30', closed: true }] }],
    ['an unknown field', { stars: 5 }],
    ['no name', { name: '' }],
  ])('refuses %s with 400 and changes nothing', async (_what, change) => {
    const cookie = await admin();
    await put('gent-bad', ghent, cookie);
    const res = await put('gent-bad', { ...ghent, ...change }, cookie);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    const { locations } = (await ctx.app.inject({ url: '/api/agent/locations', headers: { cookie } })).json();
    expect(locations.find((l: { id: string }) => l.id === 'gent-bad')).toMatchObject(ghent);
  });

  it('refuses an id that is not a slug with 400, and deletes a location (404 the second time)', async () => {
    const cookie = await admin();
    expect((await put('Gent Centrum', ghent, cookie)).statusCode).toBe(400);
    await put('gent-gone', ghent, cookie);
    const del = await ctx.app.inject({ method: 'DELETE', url: '/api/agent/locations/gent-gone', headers: { cookie } });
    expect(del.statusCode).toBe(204);
    const again = await ctx.app.inject({ method: 'DELETE', url: '/api/agent/locations/gent-gone', headers: { cookie } });
    expect(again.statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/api/locations/gent-gone/hours' })).statusCode).toBe(404);
  });
});

describe('GET /api/locations/:id/hours', () => {
  it('answers for the instant asked, in the location’s zone, past midnight and on an exception', async () => {
    await put('gent-hours', ghent, await admin());
    const at = async (iso: string) => (await ctx.app.inject({ url: `/api/locations/gent-hours/hours?at=${encodeURIComponent(iso)}` })).json();
    // Friday 11 December 2026, 23:30 in Brussels: open until 02:00 on Saturday.
    expect(await at('2026-12-11T22:30:00Z')).toEqual({ open: true, closesAt: '2026-12-12T02:00:00+01:00' });
    expect(await at('2026-12-12T01:30:00+01:00')).toEqual({ open: true, closesAt: '2026-12-12T02:00:00+01:00' });
    expect(await at('2026-12-12T02:00:00+01:00')).toEqual({ open: false, opensAt: '2026-12-12T11:00:00+01:00' });
    expect(await at('2026-12-25T12:00:00+01:00')).toEqual({ open: false, opensAt: '2026-12-26T11:00:00+01:00' });
  });

  it('uses now without ?at, and refuses a bad instant with 400', async () => {
    const always = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '00:00', close: '00:00' }));
    await put('gent-now', { ...ghent, hours: always, exceptions: [] }, await admin());
    expect((await ctx.app.inject({ url: '/api/locations/gent-now/hours' })).json()).toEqual({ open: true });
    for (const at of ['tomorrow', '2026-12-11', '2026-12-11T22:30:00']) {
      const res = await ctx.app.inject({ url: `/api/locations/gent-now/hours?at=${at}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await ctx.app.inject({ url: '/api/locations/nowhere/hours' })).json().error.code).toBe('not_found');
  });
});

describe('GET /api/locations and /api/locations/delivers', () => {
  it('lists the seven cities of the demo data, each with whether it is open now', async () => {
    expect(demoSeeded).toBe(DEMO_LOCATIONS.length);
    // A restart: one statement, no transaction, no lock.
    const watched = watchDb(ctx.testDb.db);
    expect(await seedDemoLocations(watched.db)).toBe(0);
    expect(watched.statements).toHaveLength(1);
    expect(watched.transactions()).toBe(0);
    const res = await ctx.app.inject({ url: '/api/locations' });
    expect(res.statusCode).toBe(200);
    const { locations } = res.json();
    const demo = locations.filter((l: { id: string }) => DEMO_LOCATIONS.some((d) => d.id === l.id));
    expect(new Set(demo.map((l: { city: string }) => l.city))).toEqual(
      new Set(['Bruxelles', 'Liège', 'Charleroi', 'Antwerpen', 'Gent', 'Lille', 'Roubaix']),
    );
    for (const l of demo) {
      expect(Object.keys(l).sort()).toEqual(['city', 'id', 'name', 'timezone', 'openNow', l.openNow ? 'closesAt' : 'opensAt'].sort());
      expect(l[l.openNow ? 'closesAt' : 'opensAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    expect(demo.find((l: { id: string }) => l.id === 'lille').timezone).toBe('Europe/Paris');
  });

  it('finds who delivers to a postcode, none for an unserved one, and refuses a malformed one', async () => {
    const ixelles = (await ctx.app.inject({ url: '/api/locations/delivers?postcode=1050' })).json();
    expect(ixelles.locations.map((l: { id: string }) => l.id)).toEqual(['brussels-ixelles']);
    expect((await ctx.app.inject({ url: '/api/locations/delivers?postcode=59100' })).json().locations[0].name).toBe('Tasty Food Roubaix');
    expect((await ctx.app.inject({ url: '/api/locations/delivers?postcode=8000' })).json()).toEqual({ locations: [] });
    for (const q of ['postcode=10', 'postcode=abcd', '', 'postcode=1050&x=1']) {
      expect((await ctx.app.inject({ url: `/api/locations/delivers?${q}` })).statusCode).toBe(400);
    }
  });
});

describe('support hours', () => {
  const support = { timezone: 'Europe/Brussels', hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })), exceptions: [] };

  it('are admins’ to set, read and clear; without them support counts as always open', async () => {
    const cookie = await admin();
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/agent/support-hours', headers: { cookie: agent.cookie }, payload: support })).statusCode).toBe(403);
    const bad = await ctx.app.inject({ method: 'PUT', url: '/api/agent/support-hours', headers: { cookie }, payload: { ...support, name: 'x' } });
    expect(bad.statusCode).toBe(400);

    const res = await ctx.app.inject({ method: 'PUT', url: '/api/agent/support-hours', headers: { cookie }, payload: support });
    expect(res.statusCode).toBe(200);
    expect((await ctx.app.inject({ url: '/api/agent/support-hours', headers: { cookie } })).json()).toEqual({ supportHours: support });
    const status = (await ctx.app.inject({ url: '/api/support-hours?lang=en' })).json();
    expect(status.timezone).toBe('Europe/Brussels');
    expect(status[status.open ? 'closesAt' : 'opensAt']).toBeDefined();
    if (!status.open) expect(status.nextAnswer).toMatch(/from 09:00$/);

    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/agent/support-hours', headers: { cookie } })).statusCode).toBe(204);
    expect((await ctx.app.inject({ url: '/api/support-hours' })).json()).toEqual({ open: true });
    expect((await ctx.app.inject({ url: '/api/agent/support-hours', headers: { cookie } })).json()).toEqual({ supportHours: null });
  });
});
