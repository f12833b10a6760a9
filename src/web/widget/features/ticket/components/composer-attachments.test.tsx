// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import commonEn from '../../../../../../locales/en/common.json';
import errorsEn from '../../../../../../locales/en/errors.json';
import widgetEn from '../../../../../../locales/en/widget.json';
import { i18n } from '../../../../lib/i18n.ts';
import { createQueryClient } from '../../../../lib/query-client.ts';
import { TicketPanel } from './ticket-panel.tsx';

// Issue 17 (docs/attachments.md): a photo pasted into the widget's composer, or a file dropped on it,
// becomes a file of the next message, uploaded (multipart, its own clientId, the ticket's token) to
// POST /api/tickets/:id/attachments before the message names it in `attachmentIds`; a refused file
// shows the server's error (already in the customer's language) under the message.

const TICKET_ID = '4f1c2a9e-8d0b-4c6e-9a57-1b2c3d4e5f60';
const TOKEN = 'ticket-token-17';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Upload = { url: string; authorization: string | null; clientId: FormDataEntryValue | null; file: File };
type Sent = { url: string; body: { body: string; clientId: string; attachmentIds?: string[] } };

/** A fake API: the ticket, an empty conversation, uploads answered by `answerUpload`, sends stored. */
function fakeApi(answerUpload: (file: File, n: number) => Response) {
  const uploads: Upload[] = [];
  const sent: Sent[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    if (method === 'GET' && url === `/api/tickets/${TICKET_ID}`)
      return json(200, { ticket: { id: TICKET_ID, status: 'open', subject: 'Cold burger', lang: 'en', created_at: new Date().toISOString() } });
    if (method === 'GET' && url.startsWith(`/api/tickets/${TICKET_ID}/messages`)) return json(200, { messages: [], hasMore: false, nextCursor: null });
    if (method === 'POST' && url === `/api/tickets/${TICKET_ID}/attachments`) {
      expect(init.body).toBeInstanceOf(FormData);
      const form = init.body as FormData;
      const file = form.get('file') as File;
      uploads.push({ url, authorization: headers.get('authorization'), clientId: form.get('clientId'), file });
      return answerUpload(file, uploads.length);
    }
    if (method === 'POST' && url === `/api/tickets/${TICKET_ID}/messages`) {
      const body = JSON.parse(String(init.body)) as Sent['body'];
      sent.push({ url, body });
      const attachments = (body.attachmentIds ?? []).map((id, i) => ({ id, name: uploads[i]!.file.name, mime: uploads[i]!.file.type, size: uploads[i]!.file.size }));
      return json(201, {
        message: { id: crypto.randomUUID(), ticket_id: TICKET_ID, seq: 1, author_type: 'user', body: body.body, client_id: body.clientId, created_at: new Date().toISOString(), attachments },
      });
    }
    if (method === 'GET' && url.startsWith('/api/attachments/')) return new Response(new Blob(['img'], { type: 'image/png' }), { status: 200 });
    return json(404, { error: { code: 'not_found', message: `unexpected ${method} ${url}` } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { uploads, sent, fetchMock };
}

let container: HTMLElement | null = null;
async function mountPanel(): Promise<HTMLElement> {
  container = document.createElement('div');
  document.body.append(container);
  const client = createQueryClient();
  await act(() => {
    render(h(QueryClientProvider, { client }, h(TicketPanel, { ticketId: TICKET_ID, token: TOKEN, realtime: null, onForget: () => {} })), container!);
  });
  await until(() => container!.querySelector('textarea') !== null && !container!.querySelector('[role="status"]'));
  return container;
}

async function until(condition: () => boolean, what = 'condition') {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await act(() => new Promise<void>((r) => setTimeout(r, 10)));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A paste as the browser fires it: a ClipboardEvent whose clipboardData carries the files. */
async function paste(target: Element, ...files: File[]) {
  const data = new DataTransfer();
  for (const f of files) data.items.add(f);
  const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data });
  if (event.clipboardData?.files.length !== files.length) Object.defineProperty(event, 'clipboardData', { value: data });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

/** A drop: happy-dom's DragEvent ignores `dataTransfer` in its init, so it is defined on the event. */
async function drop(target: Element, ...files: File[]) {
  const data = new DataTransfer();
  for (const f of files) data.items.add(f);
  const event = new DragEvent('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: data });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

async function submit(view: HTMLElement) {
  await act(() => {
    view.querySelector('form.tf-composer')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

const draftNames = (view: HTMLElement) => [...view.querySelectorAll('.tf-composer__files li')].map((li) => li.firstChild?.textContent);

beforeAll(async () => {
  // English only, on the shared instance (the pages' init helpers are not needed to translate here).
  if (!i18n.isInitialized)
    await i18n.init({
      resources: { en: { common: commonEn, widget: widgetEn } },
      lng: 'en',
      ns: ['common', 'widget'],
      defaultNS: 'widget',
      fallbackNS: 'common',
      interpolation: { escapeValue: false },
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<typeof i18n.init>[0]);
});

afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
  vi.unstubAllGlobals();
});

describe('widget composer: paste and drop attach files', () => {
  it('uploads a pasted photo and a dropped PDF through POST /api/tickets/:id/attachments, then sends the message with their ids', async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const api = fakeApi((file, n) => json(201, { attachment: { id: ids[n - 1], name: file.name, mime: file.type, size: file.size } }));
    const view = await mountPanel();
    const textarea = view.querySelector('textarea')!;

    const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'cold-burger.png', { type: 'image/png' });
    const pasted = await paste(textarea, photo);
    expect(draftNames(view)).toEqual(['cold-burger.png']);
    // Attached, not also pasted as text (a file copied in a file manager carries its name as text too).
    expect(pasted.defaultPrevented).toBe(true);

    const receipt = new File(['%PDF-1.4 receipt %%EOF'], 'receipt.pdf', { type: 'application/pdf' });
    const dropped = await drop(textarea, receipt);
    // The browser must not open the dropped file instead of the page.
    expect(dropped.defaultPrevented).toBe(true);
    expect(draftNames(view)).toEqual(['cold-burger.png', 'receipt.pdf']);
    // Drafts only: nothing is uploaded before the customer sends.
    expect(api.uploads).toEqual([]);

    await act(() => {
      textarea.value = 'It arrived cold';
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await submit(view);
    await until(() => api.sent.length === 1, 'the message to be sent');

    // Each file is its own multipart upload, in order, with the ticket's token and its own clientId.
    expect(api.uploads.map((u) => u.url)).toEqual([`/api/tickets/${TICKET_ID}/attachments`, `/api/tickets/${TICKET_ID}/attachments`]);
    expect(api.uploads.map((u) => u.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(api.uploads.map((u) => [u.file.name, u.file.size])).toEqual([
      ['cold-burger.png', photo.size],
      ['receipt.pdf', receipt.size],
    ]);
    expect(new Uint8Array(await api.uploads[0]!.file.arrayBuffer())).toEqual(new Uint8Array(await photo.arrayBuffer()));
    const clientIds = api.uploads.map((u) => u.clientId);
    for (const id of clientIds) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(clientIds).size).toBe(2);

    expect(api.sent[0]!.body).toMatchObject({ body: 'It arrived cold', attachmentIds: ids });
    expect(api.sent[0]!.body.clientId).not.toBe(clientIds[0]);
    // The composer is empty again once sent.
    expect(draftNames(view)).toEqual([]);
  });

  it('sends a pasted photo alone under its name when nothing was written', async () => {
    const id = crypto.randomUUID();
    const api = fakeApi((file) => json(201, { attachment: { id, name: file.name, mime: file.type, size: file.size } }));
    const view = await mountPanel();
    await paste(view.querySelector('textarea')!, new File(['jpeg'], 'IMG_0042.jpg', { type: 'image/jpeg' }));
    const send = view.querySelector<HTMLButtonElement>('form.tf-composer button[type="submit"]')!;
    expect(send.disabled).toBe(false);
    await submit(view);
    await until(() => api.sent.length === 1, 'the message to be sent');
    expect(api.uploads.map((u) => u.file.name)).toEqual(['IMG_0042.jpg']);
    expect(api.sent[0]!.body).toMatchObject({ body: 'IMG_0042.jpg', attachmentIds: [id] });
  });

  it('ignores a paste of text only (no draft file, nothing uploaded)', async () => {
    const api = fakeApi(() => json(500, {}));
    const view = await mountPanel();
    const data = new DataTransfer();
    data.setData('text/plain', 'hello');
    const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data });
    await act(() => {
      view.querySelector('textarea')!.dispatchEvent(event);
    });
    expect(draftNames(view)).toEqual([]);
    expect(api.uploads).toEqual([]);
    // Text is pasted by the browser as usual.
    expect(event.defaultPrevented).toBe(false);
  });

  it('shows the customer the server’s words when a dropped file is refused (415 unsupported_media_type), and sends no message', async () => {
    const refusal = errorsEn.attachment_type;
    const api = fakeApi(() => json(415, { error: { code: 'unsupported_media_type', message: refusal } }));
    const view = await mountPanel();
    await drop(view.querySelector('form.tf-composer')!, new File(['<svg onload="alert(1)"/>'], 'menu.svg', { type: 'image/svg+xml' }));
    expect(draftNames(view)).toEqual(['menu.svg']);
    await submit(view);
    await until(() => view.querySelector('.tf-msg[data-state="failed"]') !== null, 'the message to be marked failed');

    // A 4xx is not retried: one upload, and the message that would carry it is never sent.
    expect(api.uploads.map((u) => u.file.name)).toEqual(['menu.svg']);
    expect(api.sent).toEqual([]);
    const alert = view.querySelector('.tf-msg[data-state="failed"] [role="alert"]');
    expect(alert?.textContent).toContain(refusal);
    expect(view.querySelector('.tf-msg[data-state="failed"] .tf-bubble__files')?.textContent).toContain('menu.svg');
  });
});
