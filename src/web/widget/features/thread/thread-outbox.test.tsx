// @vitest-environment happy-dom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import commonEn from '../../../../../locales/en/common.json';
import commonFr from '../../../../../locales/fr/common.json';
import commonNl from '../../../../../locales/nl/common.json';
import widgetEn from '../../../../../locales/en/widget.json';
import widgetFr from '../../../../../locales/fr/widget.json';
import widgetNl from '../../../../../locales/nl/widget.json';
import { initI18n } from '../../../lib/i18n-bundled.ts';
import { denyIndexedDb } from '../../test/indexed-db.ts';
import { createMessageStore, MemoryMessageStore } from '../ticket/api/offline-queue.ts';
import { THREAD_OUTBOX, ThreadPanel, type ThreadOutbox } from './components/thread-panel.tsx';

let container: HTMLElement | null = null;
let online = false;
const asks: string[] = [];

const answer = (text: string) => ({
  lang: 'en',
  intent: 'faq',
  answers: [{ key: 'payment_methods', title: 'Payment', answer: 'Cash and cards.', score: 0.9 }],
  escalate: false,
  reply: `Payment\nCash and cards. (${text})`,
  conversationToken: 'T'.repeat(43),
});

/** The network: down (fetch fails as offline) until `online`; each ask that reaches the server is counted. */
function network() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (!online) throw new TypeError('Failed to fetch');
      const body = JSON.parse(String(init?.body ?? '{}')) as { text: string };
      if (String(url).endsWith('/api/chat/ask')) asks.push(body.text);
      return new Response(JSON.stringify(answer(body.text)), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
}

/** Opens the thread as a page (load) would, with the given outbox store. */
async function open(outbox: ThreadOutbox) {
  container = document.createElement('div');
  document.body.append(container);
  await act(async () => {
    render(h(ThreadPanel, { token: null, onToken: () => undefined, onHelp: () => undefined, track: () => null, handoff: () => null, outbox }), container!);
  });
}

function close() {
  if (container) render(null, container);
  container?.remove();
  container = null;
}

async function askInComposer(text: string) {
  const input = container!.querySelector<HTMLInputElement>('#tf-thread-input')!;
  await act(async () => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    container!.querySelector('form.tf-composer')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

const pending = () => [...container!.querySelectorAll('.tf-msg[data-state="pending"]')].map((el) => el.textContent);
const sent = () => [...container!.querySelectorAll('.tf-msg[data-author="user"][data-state="sent"] .tf-bubble__body')].map((el) => el.textContent);

async function backOnline() {
  online = true;
  await act(async () => {
    window.dispatchEvent(new Event('online'));
  });
}

beforeAll(async () => {
  await initI18n({ namespaces: { widget: { fr: widgetFr, en: widgetEn, nl: widgetNl }, common: { fr: commonFr, en: commonEn, nl: commonNl } }, defaultNS: 'widget', lang: 'en' });
});

afterEach(() => {
  close();
  online = false;
  asks.length = 0;
  vi.unstubAllGlobals();
});

describe('the thread’s questions asked offline', () => {
  it('survive a reload while offline (kept in the outbox store) and are sent once, in order, when back online', async () => {
    network();
    // Stands for IndexedDB: the same store outlives the page.
    const store = new MemoryMessageStore();
    await open(store);
    await askInComposer('Which payment methods do you accept?');
    await askInComposer('Can I pay by card?');
    await vi.waitFor(() => expect(pending()).toHaveLength(2));
    expect((await store.list(THREAD_OUTBOX)).map((m) => m.body)).toEqual(['Which payment methods do you accept?', 'Can I pay by card?']);

    // Reload while still offline: the questions are there again, waiting.
    close();
    await open(store);
    await vi.waitFor(() => expect(pending()).toHaveLength(2));
    expect(container!.textContent).toContain('Can I pay by card?');
    expect(asks).toEqual([]);

    await backOnline();
    await vi.waitFor(() => expect(sent()).toEqual(['Which payment methods do you accept?', 'Can I pay by card?']));
    await vi.waitFor(() => expect(container!.querySelectorAll('.tf-msg[data-author="bot"]')).toHaveLength(2));
    expect(asks).toEqual(['Which payment methods do you accept?', 'Can I pay by card?']);
    await vi.waitFor(async () => expect(await store.list(THREAD_OUTBOX)).toEqual([]));

    // Another reload: nothing is sent again.
    close();
    await open(store);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(asks).toHaveLength(2);
    expect(pending()).toEqual([]);
  });

  it('are still sent once when the browser refuses IndexedDB (memory for the page)', async () => {
    denyIndexedDb();
    network();
    await open(createMessageStore());
    await askInComposer('Do you deliver?');
    await vi.waitFor(() => expect(pending()).toHaveLength(1));
    await backOnline();
    await vi.waitFor(() => expect(sent()).toEqual(['Do you deliver?']));
    expect(asks).toEqual(['Do you deliver?']);
  });
});
