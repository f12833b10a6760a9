// @vitest-environment happy-dom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLang } from '../../../lib/i18n.ts';
import { useWidgetDom } from '../../test/widget-dom.ts';
import { SupportHoursNote } from './components/support-hours-note.tsx';

const dom = useWidgetDom();
const asked: string[] = [];

function answer(body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      asked.push(String(url));
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
}

async function show(): Promise<string> {
  const container = await dom.mount(h(SupportHoursNote, {}));
  await vi.waitFor(() => expect(asked.length).toBeGreaterThan(0));
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return container.textContent ?? '';
}

afterEach(() => {
  asked.length = 0;
  vi.unstubAllGlobals();
});

describe('the contact form’s (and the thread’s handoff) note on when a person answers', () => {
  it('says when a person will answer while support is closed, asking in the widget’s language', async () => {
    await setLang('fr');
    answer({ open: false, opensAt: '2026-12-03T11:00:00+01:00', timezone: 'Europe/Brussels', nextAnswer: 'demain à partir de 11h00' });
    expect(await show()).toBe('Notre équipe est absente pour le moment\u00a0: une personne vous répondra demain à partir de 11h00.');
    expect(asked[0]).toContain('/api/chat/handoff?lang=fr');
  });

  it('says when a person usually answers while support is open: the median first response, in minutes or hours', async () => {
    answer({ open: true, medianFirstResponseSeconds: 690 });
    expect(await show()).toBe('A person usually answers in about 12 min.');
    dom.unmount();
    asked.length = 0;
    await setLang('fr');
    answer({ open: true, medianFirstResponseSeconds: 20 });
    expect(await show()).toBe('Une personne répond en général en 1\u00a0min environ.');
    dom.unmount();
    asked.length = 0;
    await setLang('nl');
    answer({ open: true, medianFirstResponseSeconds: 3 * 3600 + 600 });
    expect(await show()).toBe('Meestal antwoordt iemand je binnen ongeveer 3 uur.');
    expect(asked[0]).toContain('/api/chat/handoff?lang=nl');
  });

  it('says nothing while support is open and no first response was given in the last 7 days', async () => {
    answer({ open: true });
    expect(await show()).toBe('');
  });
});
