// @vitest-environment happy-dom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import widgetFr from '../../../../../locales/fr/widget.json';
import widgetNl from '../../../../../locales/nl/widget.json';
import { setLang } from '../../../lib/i18n.ts';
import { useWidgetDom } from '../../test/widget-dom.ts';
import { ContactForm } from './components/contact-form.tsx';

// Where the customer first gives an e-mail address (the contact form, and the thread's handoff that asks
// only for it), a link to the privacy notice. It is the server's /privacy, which is the built-in page
// without PRIVACY_URL and a redirect to PRIVACY_URL with it (privacy-requests.test.ts checks both), so
// the widget needs no setting of its own. The widget runs in its own iframe on the server's origin: the
// link opens the server's /privacy in a new tab, never the restaurant page's own /privacy.

const dom = useWidgetDom();

async function privacyLinks(props: { emailOnly?: boolean }): Promise<HTMLAnchorElement[]> {
  const container = await dom.mount(h(ContactForm, { onSubmit: () => undefined, ...props }));
  return [...container.querySelectorAll<HTMLAnchorElement>('a')];
}

describe('the widget’s link to the privacy notice', () => {
  it('under the e-mail field of the contact form, opens the server’s /privacy in a new tab', async () => {
    const links = await privacyLinks({});
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('/privacy');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toContain('noopener');
    expect(links[0]!.textContent).toBe('Your data and your rights');
    expect(links[0]!.closest('small')!.textContent).toBe('We use your e-mail address only to answer you. Your data and your rights');
  });

  it('is there too when the thread’s handoff asks only for the e-mail address, in the widget’s language', async () => {
    await setLang('fr');
    const fr = await privacyLinks({ emailOnly: true });
    expect(fr.map((a) => [a.getAttribute('href'), a.textContent])).toEqual([['/privacy', widgetFr.support.privacy_link]]);
    dom.unmount();
    await setLang('nl');
    const nl = await privacyLinks({ emailOnly: true });
    expect(nl.map((a) => [a.getAttribute('href'), a.textContent])).toEqual([['/privacy', widgetNl.support.privacy_link]]);
    expect(widgetNl.support.privacy_link).not.toBe(widgetFr.support.privacy_link);
  });
});
