// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TeamSettings } from '../../../../../contracts/team.ts';
import { fixedT } from '../../../../lib/i18n.ts';
import { DASHBOARD_NS } from '../../../../staff/i18n.ts';
import { storyAgent, storyAgents } from '../../../stories/fixtures.ts';
import { jsonResponse, mountFetchingStory, recordRequests, settle, type SentRequest } from '../../../test/page-harness.tsx';
import meta from './agents-page.stories.tsx';

// Issue 16 follow-up: an admin turns round-robin on or off from the agents page (PUT
// /api/agent/team/settings); the page shows the server's answer, and the server's refusal. The page
// renders as its story does, inside a QueryClient that really fetches, so the test sees every request.

/** Answers as the server would (`refuse`: the PUT's error answer), and records the requests. */
function stubServer(initial: TeamSettings, refuse?: { status: number; code: string; message: string }): SentRequest[] {
  return recordRequests(({ method, url, body }) => {
    if (method === 'GET' && url === '/api/admin/agents') return jsonResponse({ agents: storyAgents });
    if (method === 'GET' && url === '/api/agent/team/settings') return jsonResponse(initial);
    if (method === 'PUT' && url === '/api/agent/team/settings') {
      if (refuse) return jsonResponse({ error: { code: refuse.code, message: refuse.message } }, refuse.status);
      return jsonResponse({ ...(body as object), updatedAt: '2026-12-02T09:00:00.000Z', updatedBy: { id: storyAgent.id, name: storyAgent.name } });
    }
  });
}

const mountPage = (lang: 'fr' | 'en' | 'nl') => mountFetchingStory(meta, lang);
const toggle = (container: HTMLElement) => container.querySelector<HTMLInputElement>('#round-robin')!;
const section = (container: HTMLElement) => container.querySelector('section[aria-labelledby="assignment-heading"]')!;
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
  });
  await settle();
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('agents page: round-robin', () => {
  it('shows the stored setting and turns round-robin off with PUT /api/agent/team/settings', async () => {
    const sent = stubServer({ autoAssign: 'round_robin', updatedAt: '2026-12-01T08:00:00.000Z', updatedBy: null });
    const { container, unmount } = await mountPage('en');
    await settle();
    const t = fixedT('en', DASHBOARD_NS);
    expect(toggle(container).checked).toBe(true);
    expect(section(container).textContent).toContain(t('agents.assignment.firstValue'));

    await click(toggle(container));
    expect(sent.filter((s) => s.method === 'PUT')).toEqual([{ method: 'PUT', url: '/api/agent/team/settings', body: { autoAssign: 'off' } }]);
    expect(toggle(container).checked).toBe(false);
    expect(section(container).textContent).toContain('Last changed by Sam');

    await click(toggle(container));
    expect(sent.filter((s) => s.method === 'PUT').map((s) => s.body)).toEqual([{ autoAssign: 'off' }, { autoAssign: 'round_robin' }]);
    expect(toggle(container).checked).toBe(true);
    await unmount();
  });

  it('says why the server refused, and keeps showing the stored setting', async () => {
    stubServer({ autoAssign: 'off', updatedAt: null, updatedBy: null }, { status: 403, code: 'forbidden', message: 'Réservé aux administrateurs.' });
    const { container, unmount } = await mountPage('fr');
    await settle();
    expect(toggle(container).checked).toBe(false);
    await click(toggle(container));
    expect(section(container).querySelector('[role="alert"]')?.textContent).toBe('Réservé aux administrateurs.');
    expect(toggle(container).checked).toBe(false);
    await unmount();
  });
});
