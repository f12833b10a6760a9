// @vitest-environment happy-dom
import { h, type VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.ts';
import { fixedT, setLang } from '../../../lib/i18n.ts';
import { headerConnection } from '../../app.tsx';
import type { TrackedOrder } from './api/track-order.ts';
import { OrderStatus } from './components/order-status.tsx';
import { TrackView } from './components/track-panel.tsx';
import { eventTime } from './order-format.ts';
import { useWidgetDom } from '../../test/widget-dom.ts';

const NOW = new Date(2026, 11, 2, 15, 30); // 2 December 2026, 15:30 local time
const noop = () => {};

const order: TrackedOrder = {
  number: 'TF-1002',
  status: 'out_for_delivery',
  eta: new Date(2026, 11, 2, 16, 0).toISOString(),
  events: [
    { status: 'received', at: new Date(2026, 11, 1, 23, 50).toISOString() },
    { status: 'out_for_delivery', at: new Date(2026, 11, 2, 14, 5).toISOString() },
  ],
  items: [
    { name: 'Tasty Burger', qty: 2, price: 9.5 },
    { name: 'Fries', qty: 1, price: 3 },
  ],
  updated_at: new Date(2026, 11, 2, 14, 5).toISOString(),
  trackingToken: 'token',
};

const dom = useWidgetDom();
const show = (node: VNode<any>): Promise<HTMLElement> => dom.mount(node);

describe('order tracking: no matching order', () => {
  it.each(['en', 'fr', 'nl'] as const)('says no order matches that number and e-mail (%s), not "does not exist or has been deleted"', async (lang) => {
    await setLang(lang);
    const notFound = new ApiError({ status: 404, code: 'not_found', message: 'Not found' });
    const view = await show(h(TrackView, { onSubmit: noop, busy: false, error: notFound, order: undefined, follows: false, connection: 'open' }));
    const alert = view.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toBe(fixedT(lang, 'widget')('track.no_match'));
    expect(alert).not.toBe(fixedT(lang, 'common')('errors.not_found'));
  });

  it('keeps the general message for other failures', async () => {
    const rateLimited = new ApiError({ status: 429, code: 'rate_limited', message: 'Too many' });
    const view = await show(h(TrackView, { onSubmit: noop, busy: false, error: rateLimited, order: undefined, follows: false, connection: 'open' }));
    expect(view.querySelector('[role="alert"]')?.textContent).not.toContain(fixedT('en', 'widget')('track.no_match'));
  });
});

describe('order tracking: connection state', () => {
  it('shows no "Connecting…" before anything was searched', async () => {
    expect(headerConnection('track', 'connecting')).toBeNull();
    expect(headerConnection('track', 'open')).toBeNull();
    const view = await show(h(TrackView, { onSubmit: noop, busy: false, error: null, order: undefined, follows: false, connection: 'connecting' }));
    expect(view.textContent).not.toContain('Connecting');
    expect(view.querySelector('.tf-conn')).toBeNull();
  });

  it('shows the live state once an order that follows the connection is shown', async () => {
    const view = await show(h(TrackView, { onSubmit: noop, busy: false, error: null, order, follows: true, connection: 'open', now: NOW }));
    expect(view.querySelector('.tf-conn--connected')).not.toBeNull();
  });

  it('still says "offline" under the header in track mode, and a conversation its own state', () => {
    expect(headerConnection('track', 'offline')).toBe('offline');
    expect(headerConnection('ticket', 'connecting')).toBe('connecting');
  });
});

describe('order tracking: the order', () => {
  it('shows the time alone for today’s events and the date for older ones', async () => {
    const view = await show(h(OrderStatus, { order, now: NOW }));
    const times = [...view.querySelectorAll('.tf-timeline time')].map((n) => n.textContent ?? '');
    expect(times[0]).toBe(new Date(2026, 11, 1, 23, 50).toLocaleString('en', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }));
    expect(times[0]).toContain('Dec');
    expect(times[1]).toBe(new Date(2026, 11, 2, 14, 5).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' }));
    expect(times[1]).not.toContain('Dec');
  });

  it('adds the year to an event of another year', () => {
    expect(eventTime(new Date(2025, 11, 31, 12, 0).toISOString(), 'en', NOW)).toContain('2025');
  });

  it('lists the ordered items with their quantities and prices', async () => {
    const view = await show(h(OrderStatus, { order, now: NOW }));
    const items = [...view.querySelectorAll('.tf-order__items li')].map((n) => n.textContent);
    expect(items).toEqual(['2 × Tasty Burger€19.00', '1 × Fries€3.00']);
    await setLang('fr');
    const fr = [...view.querySelectorAll('.tf-order__items li')].map((n) => n.textContent);
    expect(fr[0]).toBe('2 × Tasty Burger19,00\u00a0€');
  });
});
