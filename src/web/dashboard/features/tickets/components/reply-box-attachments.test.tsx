// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storyCases, type StoryModule } from '../../../../../../.storybook/story-test-harness.ts';
import errorsEn from '../../../../../../locales/en/errors.json';
import { storyTicketDetail } from '../../../stories/fixtures.ts';
import * as replyBox from './reply-box.stories.tsx';

// Issue 17 (docs/attachments.md): the agent's reply box attaches a pasted or dropped file at once
// (POST /api/agent/tickets/:id/attachments, multipart), shows it as a chip, and the reply names the
// uploaded files in `attachmentIds`; a refused file shows the server's words on its chip.

const cases = storyCases({ replyBox: replyBox as unknown as StoryModule });
const withDraft = () => cases.find((c) => c.name === 'WithDraft' && c.lang === 'en')!.mount();
const TICKET_ID = storyTicketDetail.ticket.id;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Upload = { url: string; clientId: FormDataEntryValue | null; file: File };

function fakeApi(answerUpload: (file: File, n: number) => Response) {
  const uploads: Upload[] = [];
  const replies: Array<{ url: string; body: { body: string; clientId: string; attachmentIds?: string[] } }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    if (init.method === 'POST' && url === `/api/agent/tickets/${TICKET_ID}/attachments`) {
      expect(init.body).toBeInstanceOf(FormData);
      const form = init.body as FormData;
      uploads.push({ url, clientId: form.get('clientId'), file: form.get('file') as File });
      return answerUpload(form.get('file') as File, uploads.length);
    }
    if (init.method === 'POST' && url === `/api/agent/tickets/${TICKET_ID}/messages`) {
      const body = JSON.parse(String(init.body));
      replies.push({ url, body });
      const last = storyTicketDetail.messages.at(-1)!;
      return json(201, { message: { ...last, id: crypto.randomUUID(), seq: last.seq + 1, author_type: 'agent', body: body.body, attachments: [] } });
    }
    return json(404, { error: { code: 'not_found', message: `unexpected ${init.method ?? 'GET'} ${url}` } });
  });
  return { uploads, replies };
}

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await act(() => new Promise<void>((r) => setTimeout(r, 10)));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function transfer(files: File[]) {
  const data = new DataTransfer();
  for (const f of files) data.items.add(f);
  return data;
}

async function paste(target: Element, ...files: File[]) {
  const data = transfer(files);
  const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data });
  if (event.clipboardData?.files.length !== files.length) Object.defineProperty(event, 'clipboardData', { value: data });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

/** happy-dom's DragEvent ignores `dataTransfer` in its init: it is defined on the event. */
async function drop(target: Element, ...files: File[]) {
  const event = new DragEvent('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: transfer(files) });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

const chips = (container: HTMLElement) => [...container.querySelectorAll('.attachment-drafts li')].map((li) => `${li.querySelector('span')?.textContent}:${li.getAttribute('data-state')}`);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('dashboard reply box: paste and drop attach files', () => {
  it('uploads a pasted screenshot and a dropped PDF at once, and the reply carries their ids', async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const api = fakeApi((file, n) => json(201, { attachment: { id: ids[n - 1], name: file.name, mime: file.type, size: file.size } }));
    const { container, unmount } = await withDraft();
    const textarea = container.querySelector<HTMLTextAreaElement>('#reply-body')!;

    const pasted = await paste(textarea, new File(['png bytes'], 'screenshot.png', { type: 'image/png' }));
    expect(pasted.defaultPrevented).toBe(true);
    const dropped = await drop(textarea, new File(['%PDF-1.4 refund %%EOF'], 'refund.pdf', { type: 'application/pdf' }));
    expect(dropped.defaultPrevented).toBe(true);
    await until(() => chips(container).every((c) => c.endsWith(':ready')) && chips(container).length === 2, 'both uploads');

    expect(chips(container)).toEqual(['screenshot.png:ready', 'refund.pdf:ready']);
    expect(api.uploads.map((u) => [u.url, u.file.name])).toEqual([
      [`/api/agent/tickets/${TICKET_ID}/attachments`, 'screenshot.png'],
      [`/api/agent/tickets/${TICKET_ID}/attachments`, 'refund.pdf'],
    ]);
    for (const u of api.uploads) expect(u.clientId).toMatch(/^[0-9a-f-]{36}$/);

    await act(() => {
      container.querySelector('form.reply-box')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await until(() => api.replies.length === 1, 'the reply');
    expect(api.replies[0]!.body).toMatchObject({ body: 'Votre livreur arrive dans 5 minutes.', attachmentIds: ids });
    await unmount();
  });

  it('shows the server’s words on the chip of a refused file (415), and the reply does not carry it', async () => {
    const refusal = errorsEn.attachment_type;
    const api = fakeApi(() => json(415, { error: { code: 'unsupported_media_type', message: refusal } }));
    const { container, unmount } = await withDraft();
    await drop(container.querySelector('form.reply-box')!, new File(['<html><script>x</script></html>'], 'photo.jpg', { type: 'image/jpeg' }));
    await until(() => container.querySelector('.attachment-drafts [data-state="failed"]') !== null, 'the refusal');
    expect(api.uploads.map((u) => u.file.name)).toEqual(['photo.jpg']);
    expect(container.querySelector('.attachment-drafts [data-state="failed"] [role="alert"]')?.textContent).toContain(refusal);

    await act(() => {
      container.querySelector('form.reply-box')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await until(() => api.replies.length === 1, 'the reply');
    expect(api.replies[0]!.body.attachmentIds).toBeUndefined();
    await unmount();
  });
});
