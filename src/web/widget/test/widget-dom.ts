import { render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll } from 'vitest';
import widgetEn from '../../../../locales/en/widget.json';
import widgetFr from '../../../../locales/fr/widget.json';
import widgetNl from '../../../../locales/nl/widget.json';
import { initI18n } from '../../lib/i18n-bundled.ts';
import { setLang } from '../../lib/i18n.ts';

/**
 * What the widget's component tests share: its texts in fr, en and nl (English first), and components
 * mounted in containers of the document, unmounted and removed after each test, with the language set
 * back to English. Call it once at the top of a test file.
 */
export function useWidgetDom(): { mount(node: VNode<any>): Promise<HTMLElement>; unmount(): void } {
  const mounted: HTMLElement[] = [];
  const unmount = () => {
    for (const container of mounted.splice(0)) {
      render(null, container);
      container.remove();
    }
  };
  beforeAll(async () => {
    await initI18n({ namespaces: { widget: { fr: widgetFr, en: widgetEn, nl: widgetNl } }, defaultNS: 'widget', lang: 'en' });
  });
  afterEach(async () => {
    unmount();
    await setLang('en');
  });
  return {
    async mount(node) {
      const container = document.createElement('div');
      document.body.append(container);
      mounted.push(container);
      await act(async () => {
        render(node, container);
      });
      return container;
    },
    unmount,
  };
}
