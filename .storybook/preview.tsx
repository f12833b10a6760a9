/// <reference types="vite/client" />
import type { Decorator, Preview } from '@storybook/preact-vite';
import dashboardEn from '../locales/en/dashboard.json';
import dashboardFr from '../locales/fr/dashboard.json';
import dashboardNl from '../locales/nl/dashboard.json';
import widgetEn from '../locales/en/widget.json';
import widgetFr from '../locales/fr/widget.json';
import widgetNl from '../locales/nl/widget.json';
import type { Lang } from '../src/contracts/common.ts';
import dashboardCss from '../src/web/staff/styles.css?inline';
import { initI18n } from '../src/web/lib/i18n-bundled.ts';
import { i18n, isLang, LANG_NAMES, setLang, WEB_DEFAULT_LANG, WEB_LANGS } from '../src/web/lib/i18n.ts';
import widgetCss from '../src/web/widget/widget.css?inline';

/** Each app's texts and style sheet; a story belongs to the app its title starts with. */
const APPS = {
  Widget: { namespace: 'widget', css: widgetCss },
  Dashboard: { namespace: 'dashboard', css: dashboardCss },
} as const;
type AppName = keyof typeof APPS;

const STYLE_ID = 'tf-story-style';

/** The app a story title belongs to: `Dashboard/Queue/QueuePage` → Dashboard. */
export function appOf(title: string): AppName {
  const app = title.split('/')[0];
  if (app !== 'Widget' && app !== 'Dashboard') throw new Error(`story title "${title}" must start with Widget/ or Dashboard/`);
  return app;
}

// Both apps' namespaces in one i18next instance, as the pages load them (bundled: nothing is fetched).
const ready = initI18n({
  namespaces: {
    widget: { fr: widgetFr, en: widgetEn, nl: widgetNl },
    dashboard: { fr: dashboardFr, en: dashboardEn, nl: dashboardNl },
  },
  defaultNS: APPS.Widget.namespace,
  lang: WEB_DEFAULT_LANG,
});

/**
 * The language toolbar's choice goes through the app's own i18n (setLang: i18next, `<html lang>`, the API
 * client's Accept-Language), and the story's app decides the default namespace its `t('key')` reads.
 * The two apps' style sheets both style bare elements (body, input, select), so only the story's own is
 * on the page.
 */
const withAppAndLanguage: Decorator = (Story, context) => {
  const app = APPS[appOf(context.title)];
  const lang: Lang = isLang(context.globals.lang) ? context.globals.lang : WEB_DEFAULT_LANG;
  i18n.setDefaultNamespace(app.namespace);
  // With bundled resources i18next switches synchronously; mounted components re-render on its event.
  if (i18n.language !== lang) void setLang(lang);
  let style = document.getElementById(STYLE_ID);
  if (!style) {
    style = document.createElement('style');
    style.id = STYLE_ID;
    document.head.append(style);
  }
  if (style.textContent !== app.css) style.textContent = app.css;
  return <Story />;
};

const preview: Preview = {
  globalTypes: {
    lang: {
      description: 'Language of the stories (the apps’ i18n: locales/{fr,en,nl})',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: WEB_LANGS.map((l) => ({ value: l, title: LANG_NAMES[l], right: l.toUpperCase() })),
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { lang: WEB_DEFAULT_LANG },
  loaders: [async () => ({ i18n: await ready })],
  decorators: [withAppAndLanguage],
};

export default preview;
