// @vitest-environment happy-dom
/// <reference types="vite/client" />
import { h, render, type ComponentType } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import widgetEn from '../../../locales/en/widget.json';
import widgetFr from '../../../locales/fr/widget.json';
import widgetNl from '../../../locales/nl/widget.json';
import type { Lang } from '../../contracts/common.ts';
import { WEB_LANGS, fixedT, initI18n, setLang } from '../lib/i18n.ts';

type Story = { args?: Record<string, unknown>; component?: ComponentType<any>; parameters?: { lang?: Lang; expectKeys?: string[] } };
type StoryModule = { default: { title: string; component: ComponentType<any>; args?: Record<string, unknown>; parameters?: { expectKeys?: string[] } } } & Record<string, unknown>;

const modules = import.meta.glob<StoryModule>('./**/*.stories.tsx', { eager: true });

function leafKeys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
const widgetKeys = leafKeys(widgetFr).map((k) => k.replace(/_(one|other)$/, ''));

const cases = Object.entries(modules).flatMap(([file, mod]) =>
  Object.entries(mod)
    .filter(([name]) => name !== 'default')
    .flatMap(([name, value]) => {
      const story = value as Story;
      const langs = story.parameters?.lang ? [story.parameters.lang] : [...WEB_LANGS];
      return langs.map((lang) => ({ label: `${mod.default.title} / ${name} (${lang}) in ${file}`, mod, story, lang }));
    }),
);

beforeAll(async () => {
  await initI18n({ namespaces: { widget: { fr: widgetFr, en: widgetEn, nl: widgetNl } }, defaultNS: 'widget', lang: 'fr' });
});

describe('widget stories', () => {
  it('finds the stories of every component family (help menu, FAQ, bubble, conversation, forms)', () => {
    const titles = Object.values(modules).map((m) => m.default.title);
    for (const t of ['Widget/HelpMenu', 'Widget/FaqList', 'Widget/MessageBubble', 'Widget/Conversation', 'Widget/Forms/ContactForm'])
      expect(titles).toContain(t);
  });

  it.each(cases)('renders $label with translated text', async ({ mod, story, lang }) => {
    await setLang(lang);
    const container = document.createElement('div');
    document.body.append(container);
    const component = story.component ?? mod.default.component;
    await act(() => {
      render(h(component, { ...mod.default.args, ...story.args }), container);
    });
    const text = container.textContent ?? '';
    expect(text.length).toBeGreaterThan(0);
    const t = fixedT(lang, 'widget');
    for (const key of story.parameters?.expectKeys ?? mod.default.parameters?.expectKeys ?? []) expect(text).toContain(t(key));
    // No key shown untranslated.
    for (const key of widgetKeys) expect(text).not.toContain(key);
    render(null, container);
    container.remove();
  });
});
