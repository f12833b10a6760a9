// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { storyCases, type StoryModule } from '../../../../../../.storybook/story-test-harness.ts';
import type { TimelineEntry } from '../../../../../contracts/agents.ts';
import { fixedT } from '../../../../lib/i18n.ts';
import { initDashboardI18n } from '../../../../staff/i18n.ts';
import { storyTicketDetail } from '../../../stories/fixtures.ts';
import * as controls from './ticket-controls.stories.tsx';
import * as replyBox from './reply-box.stories.tsx';
import * as page from './ticket-page.stories.tsx';
import { timelineText } from './timeline-entry.tsx';

// Issue 16: the ticket page shows the internal timeline between the messages, and the note box posts a
// note (POST …/notes), never a reply.
const cases = storyCases({
  page: page as unknown as StoryModule,
  controls: controls as unknown as StoryModule,
  replyBox: replyBox as unknown as StoryModule,
});
const story = (title: string, name: string) => cases.find((c) => c.title === title && c.name === name && c.lang === 'en')!;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ticket page timeline', () => {
  it('puts notes and events between the messages, by time, the note text shown', async () => {
    const { container, unmount } = await story('Dashboard/Tickets/TicketPage', 'Default').mount();
    const items = [...container.querySelectorAll('.messages > li')].map((li) =>
      li.classList.contains('timeline-entry') ? `timeline:${li.getAttribute('data-timeline')}` : `message:${li.getAttribute('data-author')}`,
    );
    // The story's cache also holds an older page (a user message and the bot's answer) before them.
    expect(items).toEqual(['message:user', 'message:bot', 'message:user', 'message:bot', 'timeline:priority', 'timeline:assignment', 'timeline:note', 'message:agent']);
    const note = container.querySelector('.timeline-note')!;
    expect(note.textContent).toContain('Internal note by Sam');
    expect(note.textContent).toContain('Livreur appelé');
    expect(container.querySelector('.timeline-priority')!.textContent).toContain('The system changed the priority from High to Urgent');
    expect(container.querySelector('.timeline-assignment')!.textContent).toContain('Sam assigned the ticket to Sam');
    await unmount();
  });

  it('saves the note box through POST /notes and adds the note to the timeline', async () => {
    const sent: Array<{ url: string; method: string; body: unknown }> = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, method: init.method ?? 'GET', body: JSON.parse(String(init.body)) });
      const note = { type: 'note', id: 'n1', created_at: new Date().toISOString(), agent: { id: 'a', name: 'Sam' }, body: 'Rappeler' };
      return new Response(JSON.stringify({ note }), { status: 201, headers: { 'content-type': 'application/json' } });
    });
    const { container, unmount } = await story('Dashboard/Tickets/TicketControls', 'Open').mount();
    const textarea = container.querySelector<HTMLTextAreaElement>('.note-form textarea')!;
    await act(async () => {
      textarea.value = '  Rappeler  ';
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => {
      container.querySelector<HTMLFormElement>('.note-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(sent).toEqual([{ url: `/api/agent/tickets/${storyTicketDetail.ticket.id}/notes`, method: 'POST', body: { body: 'Rappeler' } }]);
    expect(container.textContent).toContain('Note saved.');
    await unmount();
  });

  it('lists the canned replies matching the /word typed in the reply box', async () => {
    const { container, unmount } = await story('Dashboard/Tickets/ReplyBox', 'CannedSearch').mount();
    const options = [...container.querySelectorAll('#canned-list [role=option]')].map((o) => o.textContent);
    expect(options).toEqual(['/retard Excuses pour le retard']);
    expect(container.querySelector('#canned-list [aria-selected=true]')).not.toBeNull();
    await unmount();
    const empty = await story('Dashboard/Tickets/ReplyBox', 'WithDraft').mount();
    expect(empty.container.querySelector('#canned-list')).toBeNull();
    await empty.unmount();
  });
});

describe('timeline texts', () => {
  beforeAll(async () => {
    await initDashboardI18n();
  });
  const base = { id: 'e1', created_at: '2026-12-02T10:00:00.000Z' };
  const sam = { id: 'a1', name: 'Sam' };

  it('says a round-robin assignment was automatic, naming the agent, not "the system assigned"', () => {
    const entry: TimelineEntry = { type: 'assignment', ...base, agent: null, from: null, to: sam, reason: 'round_robin' };
    expect(timelineText(entry, fixedT('en', 'dashboard'))).toBe('Assigned to Sam automatically (round-robin)');
    expect(timelineText(entry, fixedT('fr', 'dashboard'))).toBe('Assigné automatiquement à Sam (à tour de rôle)');
    expect(timelineText(entry, fixedT('nl', 'dashboard'))).toBe('Automatisch toegewezen aan Sam (om de beurt)');
    // An agent's own assignment still names who did it.
    expect(timelineText({ ...entry, agent: sam, reason: null }, fixedT('en', 'dashboard'))).toBe('Sam assigned the ticket to Sam');
  });

  it('puts a single no-break space before the colon in French', () => {
    const entry: TimelineEntry = { type: 'assignment', ...base, agent: null, from: sam, to: null, reason: 'agent_disabled' };
    expect(timelineText(entry, fixedT('fr', 'dashboard'))).toBe('De nouveau non assigné\u00a0: le compte de Sam a été désactivé');
  });
});
