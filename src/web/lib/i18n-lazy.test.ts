// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../contracts/common.ts';
import { currentLang, i18n, initI18nLazy, setLang } from './i18n.ts';

// The widget's start (main.tsx): only the language shown is loaded, before the first render; a switch
// loads the other language first, so no text is ever shown as its key.
describe('initI18nLazy (one language loaded at a time)', () => {
  it('loads only the initial language, then the chosen one before switching to it', async () => {
    const loaded: Lang[] = [];
    const load = async (lang: Lang) => {
      loaded.push(lang);
      return { common: { language: `language-${lang}` }, widget: { help: { title: `title-${lang}` } } };
    };
    await initI18nLazy({ load, namespaces: ['widget'], defaultNS: 'widget', lang: 'en' });
    expect(loaded).toEqual(['en']);
    expect(i18n.t('help.title')).toBe('title-en');
    expect(i18n.t('common:language')).toBe('language-en');
    expect(i18n.hasResourceBundle('fr', 'widget')).toBe(false);

    await setLang('nl');
    expect(loaded).toEqual(['en', 'nl']);
    expect(currentLang()).toBe('nl');
    expect(document.documentElement.lang).toBe('nl');
    expect(i18n.t('help.title')).toBe('title-nl');

    await setLang('en'); // already loaded: not fetched again
    expect(loaded).toEqual(['en', 'nl']);
    expect(i18n.t('help.title')).toBe('title-en');
  });

  it('stays in the current language when the other one cannot be loaded, and retries later', async () => {
    let fail = true;
    const calls: Lang[] = [];
    // Same page instance as above (one per page): the loader is replaced by a second init.
    await initI18nLazy({
      load: async (lang) => {
        calls.push(lang);
        if (lang === 'fr' && fail) throw new Error('offline');
        return { common: {}, widget: { help: { title: `title-${lang}` } } };
      },
      namespaces: ['widget'],
      defaultNS: 'widget',
      lang: 'en',
    });
    await expect(setLang('fr')).rejects.toThrow('offline');
    expect(currentLang()).toBe('en');
    fail = false;
    await setLang('fr');
    expect(i18n.t('help.title')).toBe('title-fr');
    expect(calls.filter((l) => l === 'fr')).toHaveLength(2);
  });
});
