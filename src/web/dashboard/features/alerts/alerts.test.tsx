// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME, TEAM_CHANNEL } from '../../../../contracts/realtime-constants.ts';
import type { ServerFrame } from '../../../../contracts/realtime.ts';
import type { ChannelListener, RealtimeClient } from '../../../lib/realtime-client.ts';
import { setLang } from '../../../lib/i18n.ts';
import { initDashboardI18n } from '../../../staff/i18n.ts';
import { RealtimeProvider } from '../../../staff/realtime-context.tsx';
import { AlertsButton } from './components/alerts-button.tsx';
import { AlertsProvider } from './components/alerts-provider.tsx';

// Issue 16: the agent's alerts: the count in the tab's title, the desktop notification (permission
// asked from the button only), the optional chime, the settings remembered per agent, stored mentions.

const TICKET_A = '11111111-1111-4111-8111-111111111111';
const TICKET_B = '22222222-2222-4222-8222-222222222222';
const MENTION = '33333333-3333-4333-8333-333333333333';

let listeners: Map<string, ChannelListener>;
let requests: Array<{ url: string; method: string; body: unknown }>;
let notifications: Array<{ title: string; body?: string }>;
let oscillators: number;

class FakeNotification {
  static permission: NotificationPermission = 'default';
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted';
    return 'granted' as const;
  });
  onclick: (() => void) | null = null;
  constructor(title: string, options: { body?: string } = {}) {
    notifications.push({ title, body: options.body });
  }
  close() {}
}

class FakeAudioContext {
  currentTime = 0;
  destination = {};
  createOscillator() {
    oscillators++;
    const node = { type: '', frequency: { value: 0 }, connect: (next: unknown) => next, start() {}, stop() {} };
    return node;
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (next: unknown) => next };
  }
}

function fakeRealtime(): RealtimeClient {
  return {
    state: 'open',
    subscribe(channel, listener) {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
    typing() {},
    activity() {},
    onState: () => () => {},
    connect() {},
    close() {},
  };
}

function json(body: unknown, status = 200) {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

beforeAll(async () => {
  await initDashboardI18n();
  await setLang('en');
});
beforeEach(() => {
  listeners = new Map();
  requests = [];
  notifications = [];
  oscillators = 0;
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission.mockClear();
  localStorage.clear();
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    requests.push({ url, method, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (url === '/api/agent/mentions?unread=1') {
      return json({
        mentions: [
          { id: MENTION, ticket_id: TICKET_B, note_id: MENTION, by: { id: 'b', name: 'Bob' }, excerpt: '@Sam regarde', created_at: '2026-12-01T10:00:00.000Z', read_at: null },
        ],
      });
    }
    if (url === '/api/agent/mentions/read') return json(null, 204);
    return json({ error: { code: 'not_found', message: 'not found' } }, 404);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

async function mount(agentId: string, ticketId: string | null = null) {
  const container = document.createElement('div');
  document.body.append(container);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const realtime = fakeRealtime();
  const tree = (id: string, ticket: string | null): ComponentChildren => (
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={realtime}>
        <AlertsProvider agentId={id} title="Queue · Tasty Food" ticketId={ticket}>
          <AlertsButton />
        </AlertsProvider>
      </RealtimeProvider>
    </QueryClientProvider>
  );
  await act(() => {
    render(tree(agentId, ticketId), container);
  });
  return {
    container,
    rerender: (ticket: string | null) =>
      act(async () => {
        render(tree(agentId, ticket), container);
        await new Promise((r) => setTimeout(r, 10));
      }),
    unmount: () => {
      render(null, container);
      container.remove();
    },
  };
}

async function frame(f: ServerFrame) {
  await act(async () => {
    listeners.get(TEAM_CHANNEL)!.onFrame!(f);
    await new Promise((r) => setTimeout(r, 10));
  });
}
const newTicket = (ticketId: string, email: string): ServerFrame => ({
  type: FRAME.alert,
  channel: TEAM_CHANNEL,
  alert: { kind: 'ticket_created', ticket_id: ticketId, email, excerpt: 'Ma commande', by: null, mention_id: null, created_at: new Date().toISOString() },
});
async function click(el: Element | null) {
  expect(el).not.toBeNull();
  await act(async () => {
    (el as HTMLElement).click();
    await new Promise((r) => setTimeout(r, 10));
  });
}
const button = (container: Element, text: string) => [...container.querySelectorAll('button')].find((b) => b.textContent?.includes(text)) ?? null;
const checkbox = (container: Element, text: string) =>
  [...container.querySelectorAll('label')].find((l) => l.textContent?.includes(text))?.querySelector('input') ?? null;

describe('alerts', () => {
  it('never asks for notifications on load, only from the button, and then offers the desktop switch', async () => {
    const { container, unmount } = await mount('sam');
    await frame({ type: FRAME.subscribed, channel: TEAM_CHANNEL });
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    await click(button(container, 'Alerts'));
    await click(button(container, 'Turn on desktop notifications'));
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(button(container, 'Turn on desktop notifications')).toBeNull();
    expect(checkbox(container, 'Desktop notifications')!.checked).toBe(true);
    unmount();
  });

  it('counts stored mentions and new tickets in the title, notifies on the desktop once allowed, and chimes when asked', async () => {
    FakeNotification.permission = 'granted';
    const { container, unmount } = await mount('sam');
    await frame({ type: FRAME.subscribed, channel: TEAM_CHANNEL });
    expect(document.title).toBe('(1) Queue · Tasty Food');

    await frame(newTicket(TICKET_A, 'lina@example.com'));
    expect(document.title).toBe('(2) Queue · Tasty Food');
    expect(notifications).toEqual([{ title: 'New ticket from lina@example.com', body: 'Ma commande' }]);
    expect(oscillators).toBe(0);

    await click(button(container, 'Alerts'));
    expect(container.textContent).toContain('Bob mentioned you in a note');
    await click(checkbox(container, 'Play a sound'));
    await frame(newTicket('44444444-4444-4444-8444-444444444444', 'omar@example.com'));
    expect(oscillators).toBeGreaterThan(0);
    expect(document.title).toBe('(3) Queue · Tasty Food');

    // Without the desktop switch, no notification (the count still shows it).
    await click(checkbox(container, 'Desktop notifications'));
    await frame(newTicket('55555555-5555-4555-8555-555555555555', 'zoe@example.com'));
    expect(notifications).toHaveLength(2);
    expect(document.title).toBe('(4) Queue · Tasty Food');
    unmount();
  });

  it('reads the alerts of the ticket opened, the mention on the server too, and all at once from the panel', async () => {
    const view = await mount('sam');
    await frame({ type: FRAME.subscribed, channel: TEAM_CHANNEL });
    await frame(newTicket(TICKET_A, 'lina@example.com'));
    expect(document.title).toBe('(2) Queue · Tasty Food');
    await view.rerender(TICKET_B);
    expect(document.title).toBe('(1) Queue · Tasty Food');
    expect(requests).toContainEqual({ url: '/api/agent/mentions/read', method: 'POST', body: { ids: [MENTION] } });
    // An alert about the ticket on screen is not counted.
    await frame(newTicket(TICKET_B, 'lina@example.com'));
    expect(document.title).toBe('(1) Queue · Tasty Food');
    await click(button(view.container, 'Alerts'));
    await click(button(view.container, 'Mark all as read'));
    expect(document.title).toBe('Queue · Tasty Food');
    view.unmount();
  });

  it('remembers the settings per agent in this browser', async () => {
    FakeNotification.permission = 'granted';
    const first = await mount('sam');
    await click(button(first.container, 'Alerts'));
    await click(checkbox(first.container, 'Play a sound'));
    await click(checkbox(first.container, 'Desktop notifications'));
    first.unmount();

    const again = await mount('sam');
    await click(button(again.container, 'Alerts'));
    expect(checkbox(again.container, 'Play a sound')!.checked).toBe(true);
    expect(checkbox(again.container, 'Desktop notifications')!.checked).toBe(false);
    again.unmount();

    const other = await mount('lina');
    await click(button(other.container, 'Alerts'));
    expect(checkbox(other.container, 'Play a sound')!.checked).toBe(false);
    expect(checkbox(other.container, 'Desktop notifications')!.checked).toBe(true);
    other.unmount();
  });
});
