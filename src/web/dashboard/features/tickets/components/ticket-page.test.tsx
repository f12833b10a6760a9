// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { afterEach, describe, expect, it } from 'vitest';
import { storyCases, type StoryModule } from '../../../../../../.storybook/story-test-harness.ts';
import * as stories from './ticket-page.stories.tsx';

// A merged ticket is read-only on the server (409 on any reply, note or change): its page says where the
// conversation went and offers nothing the server would refuse.
const cases = storyCases({ 'ticket-page.stories.tsx': stories as unknown as StoryModule });
const story = (name: string, lang: string) => cases.find((c) => c.name === name && c.lang === lang)!;

describe('the ticket page', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it.each(['en', 'fr', 'nl'])('of a merged ticket (%s): links the kept ticket, and has no reply box, controls or suggestions', async (lang) => {
    const { container, unmount } = await story('Merged', lang).mount();
    const link = container.querySelector<HTMLAnchorElement>('.merged-notice a');
    expect(link?.getAttribute('href')).toMatch(/\/tickets\/7d4c9a10-3b2e-4f61-9a8d-2c5e8f1b0a47$/);
    expect(container.querySelector('textarea')).toBeNull();
    expect(container.querySelector('.ticket-side select')).toBeNull();
    expect(container.querySelectorAll('.conversation-card form')).toHaveLength(0);
    await unmount();
  });

  it('of an open ticket: has its reply box and controls', async () => {
    const { container, unmount } = await story('Default', 'en').mount();
    expect(container.querySelector('.merged-notice')).toBeNull();
    expect(container.querySelector('.conversation-card textarea')).not.toBeNull();
    expect(container.querySelector('.ticket-side select')).not.toBeNull();
    await unmount();
  });
});
