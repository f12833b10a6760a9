// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import commonFr from '../../../locales/fr/common.json';
import dashboardFr from '../../../locales/fr/dashboard.json';
import { leafKeys, storyCases, type StoryModule } from '../../../.storybook/story-test-harness.ts';
import { fixedT, i18n } from '../lib/i18n.ts';
import { DASHBOARD_NS } from '../staff/i18n.ts';

const modules = import.meta.glob<StoryModule>(['./**/*.stories.tsx', '../staff/**/*.stories.tsx', '../lib/**/*.stories.tsx'], { eager: true });
const cases = storyCases(modules);
// Dotted keys only: a one-word key of common.json ("send") is also an ordinary English word.
const rawKeys = [...new Set([...leafKeys(dashboardFr), ...leafKeys(commonFr)])].filter((k) => k.includes('.'));

describe('dashboard stories', () => {
  it('has stories for the shared components and the features’ main pieces', () => {
    const titles = Object.values(modules).map((m) => m.default.title);
    for (const t of [
      'Dashboard/Components/Badges',
      'Dashboard/Components/States',
      'Dashboard/Components/LanguageSwitcher',
      'Dashboard/Components/Charts',
      'Dashboard/Tickets/QueuePage',
      'Dashboard/Tickets/TicketPage',
      'Dashboard/Tickets/Conversation',
      'Dashboard/Tickets/ReplyBox',
      'Dashboard/Tickets/TicketControls',
      'Dashboard/Tickets/TicketInfo',
      'Dashboard/Tickets/SuggestedReplies',
      'Dashboard/Analytics/StatCards',
      'Dashboard/Analytics/AnalyticsPage',
      'Dashboard/Analytics/ClientMetricsPanel',
    ])
      expect(titles).toContain(t);
  });

  it.each(cases)('renders $label with translated text', async ({ mount, lang, expectKeys }) => {
    const { text, unmount } = await mount();
    expect(document.documentElement.lang).toBe(lang);
    expect(text.length).toBeGreaterThan(0);
    const t = fixedT(lang, DASHBOARD_NS);
    for (const key of expectKeys) {
      // Present in this language itself, not only through the French fallback.
      const [ns, name] = key.includes(':') ? key.split(':') : [DASHBOARD_NS, key];
      expect(i18n.getResource(lang, ns!, name!), `${key} in ${lang}`).toBeTypeOf('string');
      expect(text).toContain(t(key));
    }
    for (const key of rawKeys) expect(text, 'a key shown untranslated').not.toContain(key);
    await unmount();
  });

  it('shows the live states the story socket plays: other agents viewing, the customer typing', async () => {
    const live = cases.find((c) => c.title === 'Dashboard/Tickets/TicketPage' && c.name === 'LiveCustomerTyping' && c.lang === 'en')!;
    const { container, text, unmount } = await live.mount();
    expect(container.querySelector('.presence')).not.toBeNull();
    expect(text).toContain(fixedT('en', DASHBOARD_NS)('ticket.customerTyping'));
    await unmount();
  });
});
