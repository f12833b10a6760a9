import { render } from 'preact';
import { CHAT_MODES, type ChatMode } from '../lib/chat-modes.ts';
import { initI18nLazy, isLang, type LangLoader, readStoredLang } from '../lib/i18n.ts';
import { reportClientErrors } from '../lib/error-reporter.ts';
import { perfMonitor, trackWebVitals } from '../lib/perf-monitor.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { createRealtimeClient } from '../lib/realtime-client.ts';
import { App } from './app.tsx';
import { isEmbedded } from './lib/embed.ts';
import { takeTicketFromLocation } from './lib/ticket-session.ts';
import './widget.css';

reportClientErrors('widget');

/**
 * One chunk per language (widget-locale-<lang>-[hash].js, named in vite.config.ts): a conversation loads
 * only the language it shows, awaited before the first render (no untranslated flash); switching language
 * in the widget loads the other one first (setLang).
 */
const loadLocale: LangLoader = async (lang) => {
  const chunks = { fr: () => import('./locale/fr.ts'), en: () => import('./locale/en.ts'), nl: () => import('./locale/nl.ts') };
  return (await chunks[lang]()).default;
};

/** The customer chat: the full page at `/`, and inside the embed loader's iframe at `/?embed=1`. */
async function start() {
  const endStartup = perfMonitor.startMeasure('widget_startup');
  const params = new URLSearchParams(location.search);
  const embedded = isEmbedded();
  const langParam = params.get('lang');
  // The loader passes the host page's language; a choice the customer made in the widget wins.
  await initI18nLazy({
    load: loadLocale,
    namespaces: ['widget'],
    defaultNS: 'widget',
    lang: !readStoredLang() && isLang(langParam) ? langParam : undefined,
  });
  const session = takeTicketFromLocation();
  const modeParam = params.get('mode');
  const initialMode = (CHAT_MODES as readonly string[]).includes(modeParam ?? '') ? (modeParam as ChatMode) : undefined;
  if (embedded) document.documentElement.classList.add('tf-embedded');
  render(
    <App queryClient={createQueryClient()} realtime={createRealtimeClient()} embedded={embedded} initialSession={session} initialMode={initialMode} />,
    document.getElementById('tf-chat')!,
  );
  endStartup();
  perfMonitor.flushOnHide();
  trackWebVitals();
}

void start();
