// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessRecordEntry, PrivacyExport } from '../../../../../contracts/privacy.ts';
import { jsonResponse, mountFetchingStory, q, recordRequests, settle, submit, typeInto, type SentRequest } from '../../../test/page-harness.tsx';
import meta, { storyAccessRecord, storyPrivacySettings } from './privacy-page.stories.tsx';

// Issue 21: the admins' Privacy page reads the periods and the access record, exports a customer's data
// (the document downloaded as a file), erases it only after a confirmation naming the address (a refusal
// under legal hold shown as the server words it, nothing said erased), places and lifts a ticket's legal
// hold, each with the contract's exact body, and reads the access record again after each action. The
// page renders as its story does, inside a QueryClient that really fetches.

const CUSTOMER = 'karim.b@example.com';
const HELD = 'held.customer@example.com';
const TICKET = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const LEGAL_HOLD_MESSAGE = {
  en: 'A ticket of this address is under legal hold: nothing was erased.',
  fr: 'Un ticket de cette adresse fait l’objet d’une conservation légale\u00a0: rien n’a été effacé.',
  nl: 'Een ticket van dit adres valt onder wettelijke bewaring: er is niets gewist.',
};

const exportedTicket = (id: string, body: string): PrivacyExport['tickets'][number] => ({
  id,
  status: 'resolved',
  priority: 'normal',
  lang: 'fr',
  orderNumber: null,
  createdAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-12-01T12:00:00.000Z',
  resolvedAt: '2026-12-01T12:00:00.000Z',
  legalHold: false,
  messages: [{ id: `${id}-m1`, author: 'user', body, createdAt: '2026-11-30T12:00:00.000Z' }],
  attachments: [],
  rating: null,
  inboundEmails: [],
  botThreads: [],
  notes: [{ createdAt: '2026-11-30T13:00:00.000Z', details: { note: 'Loyal customer' } }],
});
const exported: PrivacyExport = {
  format: 'tasty-food-privacy-export/1',
  email: CUSTOMER,
  generatedAt: '2026-12-02T10:00:00.000Z',
  languagePreference: 'fr',
  tickets: [exportedTicket(TICKET, 'Ma commande est froide.'), exportedTicket('4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b', 'Et sans sauce.')],
  orders: [],
  emails: [],
};

/** Answers as the server would; the access record gains a line per action, as the server's does. */
function stubServer(options: { lang?: 'en' | 'fr' | 'nl' } = {}): SentRequest[] {
  const record: AccessRecordEntry[] = [...storyAccessRecord];
  const recordLine = (action: AccessRecordEntry['action'], ticketId: string | null = null) =>
    record.unshift({ ...storyAccessRecord[0]!, id: record.length + 100, at: '2026-12-02T10:00:00.000Z', action, ticketId });
  return recordRequests(({ method, url, body }) => {
    if (method === 'GET' && url === '/api/agent/privacy/settings') return jsonResponse(storyPrivacySettings);
    if (method === 'GET' && url.startsWith('/api/agent/privacy/access-record?')) {
      const email = new URL(url, 'http://x').searchParams.get('email');
      return jsonResponse({ entries: email === 'nobody@example.com' ? [] : record });
    }
    if (method === 'POST' && url === '/api/agent/privacy/export') {
      recordLine('export');
      return jsonResponse(exported);
    }
    if (method === 'POST' && url === '/api/agent/privacy/erase') {
      const { email } = body as { email: string };
      if (email === HELD) {
        return jsonResponse({ error: { code: 'conflict', message: LEGAL_HOLD_MESSAGE[options.lang ?? 'en'], details: { tickets: [TICKET] } } }, 409);
      }
      recordLine('erase');
      return jsonResponse({ erased: { tickets: 2, messages: 9, attachments: 1, notes: 1, emails: 3, tokens: 1, inboundEmails: 1, botThreads: 1, botQuestions: 0, orders: 1, errorLogs: 0, clientMetrics: 0 } });
    }
    if (method === 'PUT' && url === '/api/agent/privacy/legal-hold') {
      const { ticketId, hold } = body as { ticketId: string; hold: boolean };
      recordLine('legal_hold', ticketId);
      return jsonResponse({ ticketId, legalHold: hold });
    }
  });
}

/** The page in `lang`, on the stub server (answering in that language), once its first requests settled. */
async function openPage(lang: 'en' | 'fr' | 'nl') {
  const sent = stubServer({ lang });
  const page = await mountFetchingStory(meta, lang);
  await settle();
  return { sent, ...page };
}

const button = (root: ParentNode, label: string) => {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === label);
  if (!found) throw new Error(`button ${label} not found`);
  return found;
};
async function click(el: HTMLElement) {
  await act(async () => el.click());
  await settle();
}
const status = (section: Element) => section.querySelector('[role="status"]')?.textContent ?? null;
const alertText = (section: Element) => section.querySelector('[role="alert"]')?.textContent ?? null;
const recordRows = (root: ParentNode) =>
  [...root.querySelectorAll('[data-testid="privacy-record"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent));
const calls = (sent: SentRequest[]) => sent.map((s) => `${s.method} ${s.url}`);

let downloads: { name: string; href: string; blob: Blob }[] = [];
const realCreate = URL.createObjectURL;
const realRevoke = URL.revokeObjectURL;
beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const href = `blob:privacy-${blobs.size}`;
    blobs.set(href, blob);
    return href;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, href: this.getAttribute('href')!, blob: blobs.get(this.getAttribute('href')!)! });
  });
});
afterEach(() => {
  URL.createObjectURL = realCreate;
  URL.revokeObjectURL = realRevoke;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('privacy admin page', () => {
  it('shows the periods in effect and the access record, for everyone or for one address', async () => {
    const { sent, container, unmount } = await openPage('en');
    expect(calls(sent).sort()).toEqual(['GET /api/agent/privacy/access-record?limit=100', 'GET /api/agent/privacy/settings']);
    expect([...q(container, '[data-testid="privacy-periods"]').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Resolved and closed tickets: anonymised after 730 days',
      'Chats with the bot that never became a ticket: 30 days',
      'Sent e-mails: 90 days',
      'Error reports: 90 days',
      'Performance measurements: 30 days',
      'This access record: 365 days',
    ]);
    expect(recordRows(container)).toEqual([
      ['alice@tastyfood.example', 'Exported', '—'],
      ['alice@tastyfood.example', 'Viewed', '9d8c7b6a'],
      ['The customer', 'Request received', '—'],
    ]);
    expect(q<HTMLAnchorElement>(container, '[data-testid="privacy-record"] a').getAttribute('href')).toBe(`/agent/tickets/${TICKET}`);

    sent.length = 0;
    const filter = q(container, 'section[aria-labelledby="privacy-record"]');
    await typeInto(q(filter, 'input[type="email"]'), ' Nobody@Example.com ');
    await submit(q<HTMLFormElement>(filter, 'form'));
    expect(calls(sent)).toEqual(['GET /api/agent/privacy/access-record?limit=100&email=nobody%40example.com']);
    expect(filter.textContent).toContain('Nothing recorded.');
    await unmount();
  });

  it('exports a customer’s data with the notes when asked: the contract body, the document downloaded as a file, the record read again', async () => {
    const { sent, container, unmount } = await openPage('en');
    const data = q(container, 'section[aria-labelledby="privacy-data"]');
    expect(q(data, 'h2').textContent).toBe("A customer's data");
    expect(button(data, 'Export (JSON)').disabled).toBe(true);
    sent.length = 0;

    await typeInto(q(data, '#privacy-data-email'), ` ${CUSTOMER.toUpperCase()} `);
    await act(async () => {
      const notes = q<HTMLInputElement>(data, '#privacy-data-notes');
      notes.checked = true;
      notes.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await submit(q<HTMLFormElement>(data, 'form'));
    await settle();
    expect(sent[0]).toEqual({ method: 'POST', url: '/api/agent/privacy/export', body: { email: CUSTOMER, includeNotes: true } });
    expect(calls(sent.slice(1))).toEqual(['GET /api/agent/privacy/access-record?limit=100']);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.name).toMatch(/^privacy-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(downloads[0]!.blob.type).toBe('application/json');
    expect(JSON.parse(await downloads[0]!.blob.text())).toEqual(exported);
    expect(status(data)).toBe(`Export of ${CUSTOMER} downloaded: 2 tickets.`);
    expect(recordRows(container)[0]).toEqual(['alice@tastyfood.example', 'Exported', '—']);
    expect(recordRows(container)).toHaveLength(4);
    await unmount();
  });

  it('erases only after the confirmation naming the address; cancelling sends nothing (in French)', async () => {
    const { sent, container, unmount } = await openPage('fr');
    const data = q(container, 'section[aria-labelledby="privacy-data"]');
    sent.length = 0;
    await typeInto(q(data, '#privacy-data-email'), CUSTOMER);

    await click(button(data, 'Effacer…'));
    expect(sent).toEqual([]);
    expect(q(data, '[role="group"]').textContent).toContain(`Effacer tout ce qui est conservé sur ${CUSTOMER}\u00a0?`);
    await click(button(data, 'Annuler'));
    expect(data.querySelector('[role="group"]')).toBeNull();
    expect(sent).toEqual([]);

    // Changing the address withdraws a question asked about the previous one.
    await click(button(data, 'Effacer…'));
    await typeInto(q(data, '#privacy-data-email'), 'other@example.com');
    expect(data.querySelector('[role="group"]')).toBeNull();
    await typeInto(q(data, '#privacy-data-email'), CUSTOMER);
    await click(button(data, 'Effacer…'));
    await click(button(data, 'Effacer définitivement'));
    await settle();
    expect(sent[0]).toEqual({ method: 'POST', url: '/api/agent/privacy/erase', body: { email: CUSTOMER } });
    expect(calls(sent.slice(1))).toEqual(['GET /api/agent/privacy/access-record?limit=100']);
    expect(sent.filter((s) => s.method !== 'GET')).toHaveLength(1);
    expect(status(data)).toBe(`${CUSTOMER} effacé\u00a0: 2 tickets, 9 messages, 1 fichiers, 3 e-mails.`);
    expect(data.querySelector('[role="group"]')).toBeNull();
    expect(recordRows(container)[0]).toEqual(['alice@tastyfood.example', 'Effacé', '—']);
    await unmount();
  });

  it('shows the refusal under legal hold and says nothing erased; lifts and places a ticket’s legal hold (in Dutch)', async () => {
    const { sent, container, unmount } = await openPage('nl');
    const data = q(container, 'section[aria-labelledby="privacy-data"]');
    const hold = q(container, 'section[aria-labelledby="privacy-hold"]');
    expect(q(hold, 'h2').textContent).toBe('Wettelijke bewaring');
    sent.length = 0;

    await typeInto(q(data, '#privacy-data-email'), HELD);
    await click(button(data, 'Wissen…'));
    await click(button(data, 'Voorgoed wissen'));
    expect(sent[0]).toEqual({ method: 'POST', url: '/api/agent/privacy/erase', body: { email: HELD } });
    expect(alertText(data)).toBe(LEGAL_HOLD_MESSAGE.nl);
    expect(status(data)).toBeNull();

    sent.length = 0;
    await typeInto(q(hold, '#privacy-hold-ticket'), ` ${TICKET} `);
    await click(button(hold, 'Wettelijke bewaring opheffen'));
    expect(sent[0]).toEqual({ method: 'PUT', url: '/api/agent/privacy/legal-hold', body: { ticketId: TICKET, hold: false } });
    expect(status(hold)).toBe('Ticket 9d8c7b6a valt niet meer onder wettelijke bewaring.');

    sent.length = 0;
    await submit(q<HTMLFormElement>(hold, 'form'));
    expect(sent[0]).toEqual({ method: 'PUT', url: '/api/agent/privacy/legal-hold', body: { ticketId: TICKET, hold: true } });
    expect(calls(sent.slice(1))).toEqual(['GET /api/agent/privacy/access-record?limit=100']);
    expect(status(hold)).toBe('Ticket 9d8c7b6a valt onder wettelijke bewaring: het wordt bewaard en de gegevens van de klant kunnen niet gewist worden.');
    expect(recordRows(container)[0]).toEqual(['alice@tastyfood.example', 'Wettelijke bewaring gewijzigd', '9d8c7b6a']);
    await unmount();
  });
});
