// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import commonFr from '../../../locales/fr/common.json';
import widgetFr from '../../../locales/fr/widget.json';
import { leafKeys, storyCases, type StoryModule } from '../../../.storybook/story-test-harness.ts';
import { fixedT, i18n } from '../lib/i18n.ts';

const WIDGET_NS = 'widget';
const modules = import.meta.glob<StoryModule>('./**/*.stories.tsx', { eager: true });
const cases = storyCases(modules);
// Dotted keys only: a one-word key of common.json ("send") is also an ordinary English word.
const rawKeys = [...new Set([...leafKeys(widgetFr), ...leafKeys(commonFr)])].filter((k) => k.includes('.'));

describe('widget stories', () => {
  it('finds the stories of every component family (help menu, FAQ, bubble, conversation, forms)', () => {
    const titles = Object.values(modules).map((m) => m.default.title);
    for (const t of ['Widget/HelpMenu', 'Widget/FaqList', 'Widget/MessageBubble', 'Widget/Conversation', 'Widget/Forms/ContactForm'])
      expect(titles).toContain(t);
  });

  it('renders a story pinned to a language (globals.lang) in that language only', () => {
    const pinned = cases.filter((c) => c.title === 'Widget/HelpMenu' && c.name === 'WithDutchLocale');
    expect(pinned.map((c) => c.lang)).toEqual(['nl']);
  });

  it.each(cases)('renders $label with translated text', async ({ mount, lang, expectKeys }) => {
    const { text, unmount } = await mount();
    expect(document.documentElement.lang).toBe(lang);
    expect(text.length).toBeGreaterThan(0);
    const t = fixedT(lang, WIDGET_NS);
    for (const key of expectKeys) {
      // Present in this language itself, not only through the French fallback.
      expect(i18n.getResource(lang, WIDGET_NS, key), `${key} in ${lang}`).toBeTypeOf('string');
      expect(text).toContain(t(key));
    }
    for (const key of rawKeys) expect(text, 'a key shown untranslated').not.toContain(key);
    await unmount();
  });
});
