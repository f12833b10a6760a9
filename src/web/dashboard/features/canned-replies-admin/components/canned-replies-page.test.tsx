// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CannedReply } from '../../../../../contracts/agents.ts';
import { fixedT } from '../../../../lib/i18n.ts';
import { DASHBOARD_NS } from '../../../../staff/i18n.ts';
import { jsonResponse, mountFetchingStory, q, recordRequests, settle, submit, typeInto, type SentRequest } from '../../../test/page-harness.tsx';
import meta, { storyCannedReplies } from './canned-replies-page.stories.tsx';

// Issue 16: the canned replies admin page reads every reply once, and writes with the contract's exact
// bodies (POST /api/agent/canned-replies, PATCH and DELETE /api/agent/canned-replies/:id), in the language
// tab chosen. The page renders as its story does, inside a QueryClient that really fetches.

function stubServer(options: { conflict?: boolean } = {}): SentRequest[] {
  let replies: CannedReply[] = [...storyCannedReplies];
  return recordRequests(({ method, url, body }) => {
    if (method === 'GET' && url === '/api/agent/canned-replies') return jsonResponse({ replies });
    if (method === 'POST' && url === '/api/agent/canned-replies') {
      if (options.conflict) return jsonResponse({ error: { code: 'conflict', message: 'This shortcut is already used in this language.' } }, 409);
      const reply = { ...(body as object), id: '3f2c1d7e-8a64-4d6b-9a55-0c1e2f3a4b99', created_at: 'x', updated_at: 'x' } as CannedReply;
      replies = [...replies, reply];
      return jsonResponse({ reply }, 201);
    }
    const one = /^\/api\/agent\/canned-replies\/([^/]+)$/.exec(url);
    if (one && method === 'PATCH') {
      replies = replies.map((r) => (r.id === one[1] ? { ...r, ...(body as object) } : r));
      return jsonResponse({ reply: replies.find((r) => r.id === one[1]) });
    }
    if (one && method === 'DELETE') {
      replies = replies.filter((r) => r.id !== one[1]);
      return new Response(null, { status: 204 });
    }
  });
}

const mountPage = (lang: 'fr' | 'en' | 'nl') => mountFetchingStory(meta, lang);

async function click(el: HTMLElement) {
  await act(async () => el.click());
  await settle();
}
const button = (root: ParentNode, label: string) => {
  const el = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === label || b.getAttribute('aria-label') === label);
  if (!el) throw new Error(`button ${label} not found`);
  return el;
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('canned replies admin page', () => {
  it('creates a reply in the chosen language with the exact body of POST /api/agent/canned-replies', async () => {
    const sent = stubServer();
    const { container, unmount } = await mountPage('en');
    await settle();
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/agent/canned-replies']);
    // English first (the page's language), sorted by shortcut; the other languages' replies are not shown.
    expect([...container.querySelectorAll('.canned-item h2')].map((h) => h.textContent)).toEqual(['/halal Halal', '/late Late order']);

    await click(button(container, 'Nederlands'));
    expect([...container.querySelectorAll('.canned-item h2')].map((h) => h.textContent)).toEqual(['/laat Late bestelling']);
    sent.length = 0;
    await typeInto(q(container, '#canned-new-shortcut'), ' Welkom ');
    await typeInto(q(container, '#canned-new-title'), ' Welkom ');
    await typeInto(q(container, '#canned-new-body'), 'Hallo {{customer.email}}, {{agent.name}} helpt je verder.\n');
    await submit(q<HTMLFormElement>(container, 'form[aria-labelledby="canned-new-heading"]'));
    expect(sent[0]).toEqual({
      method: 'POST',
      url: '/api/agent/canned-replies',
      body: { lang: 'nl', shortcut: 'welkom', title: 'Welkom', body: 'Hallo {{customer.email}}, {{agent.name}} helpt je verder.' },
    });
    expect(sent.slice(1).map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/agent/canned-replies']);
    expect(q(container, 'form[aria-labelledby="canned-new-heading"] [role="status"]').textContent).toBe('Canned reply added.');
    expect(q<HTMLInputElement>(container, '#canned-new-shortcut').value).toBe('');
    await settle();
    expect([...container.querySelectorAll('.canned-item h2')].map((h) => h.textContent)).toEqual(['/laat Late bestelling', '/welkom Welkom']);
    await unmount();
  });

  it('edits with PATCH /api/agent/canned-replies/:id and deletes after a confirmation with DELETE', async () => {
    const sent = stubServer();
    const { container, unmount } = await mountPage('en');
    await settle();
    sent.length = 0;
    const late = storyCannedReplies[1]!;
    await click(button(container, 'Edit /late'));
    await typeInto(q(container, `#canned-${late.id}-title`), 'Order running late');
    await typeInto(q(container, `#canned-${late.id}-body`), 'Sorry {{customer.email}}, order {{order.number}} is late.');
    await submit(q<HTMLFormElement>(container, `form[aria-labelledby="canned-${late.id}-heading"]`));
    expect(sent[0]).toEqual({
      method: 'PATCH',
      url: `/api/agent/canned-replies/${late.id}`,
      body: { shortcut: 'late', title: 'Order running late', body: 'Sorry {{customer.email}}, order {{order.number}} is late.' },
    });
    expect(q(container, `#canned-${late.id}-heading`).textContent).toBe('/late Order running late');

    sent.length = 0;
    const halal = storyCannedReplies[2]!;
    await click(button(container, 'Delete /halal'));
    expect(sent).toEqual([]);
    expect(container.textContent).toContain('Delete “Halal”?');
    await click(button(q(container, `[aria-labelledby="canned-${halal.id}-heading"]`), 'Delete'));
    expect(sent.map((s) => [s.method, s.url, s.body])).toEqual([
      ['DELETE', `/api/agent/canned-replies/${halal.id}`, undefined],
      ['GET', '/api/agent/canned-replies', undefined],
    ]);
    expect(container.querySelector(`#canned-${halal.id}-heading`)).toBeNull();
    expect(container.textContent).toContain('Canned reply deleted.');
    await unmount();
  });

  it.each(['fr', 'nl'] as const)("shows the server's refusal (409, shortcut taken) and the page in %s", async (lang) => {
    const sent = stubServer({ conflict: true });
    const { container, unmount } = await mountPage(lang);
    await settle();
    const t = fixedT(lang, DASHBOARD_NS);
    expect(q(container, 'h1').textContent).toBe(t('cannedAdmin.title'));
    expect(q(container, '#canned-new-body-hint').textContent).toBe(
      t('cannedAdmin.bodyHint', { a: '{{customer.email}}', b: '{{order.number}}', c: '{{agent.name}}', interpolation: { escapeValue: false } }),
    );
    expect(q(container, '#canned-new-body-hint').textContent).toContain('{{customer.email}}');
    await typeInto(q(container, '#canned-new-shortcut'), 'retard');
    await typeInto(q(container, '#canned-new-title'), 'x');
    await typeInto(q(container, '#canned-new-body'), 'y');
    await submit(q<HTMLFormElement>(container, 'form[aria-labelledby="canned-new-heading"]'));
    expect(sent.at(-1)).toEqual({ method: 'POST', url: '/api/agent/canned-replies', body: { lang, shortcut: 'retard', title: 'x', body: 'y' } });
    expect(q(container, 'form[aria-labelledby="canned-new-heading"] [role="status"]').textContent).toBe('This shortcut is already used in this language.');
    await unmount();
  });
});
