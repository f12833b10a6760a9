import { useState } from 'preact/hooks';
import type { ChatMode } from '../../../../lib/chat-modes.ts';
import { useTranslation } from '../../../../staff/i18n.ts';

/**
 * The chat's modes (src/web/lib/chat-modes.ts), written again here and kept equal by the type check:
 * importing the list at run time would split it into a chunk of its own, counted in the widget's budget.
 */
const MODES = ['welcome', 'help', 'faq', 'track', 'support', 'ticket'] as const satisfies readonly ChatMode[];

/** Seed §10 "force chat state": the customer chat in a frame, opened in the chosen mode (`/?mode=`). */
export function ChatModes() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ChatMode>('welcome');
  const [reloads, setReloads] = useState(0);
  return (
    <section class="card" aria-labelledby="modes-heading">
      <div class="card-header">
        <h2 id="modes-heading">{t('debug.modes.title')}</h2>
        <a class="small" href={`/?mode=${mode}`} target="_blank" rel="noopener">
          {t('debug.modes.openTab')}
        </a>
      </div>
      <div class="tabs" role="group" aria-label={t('debug.modes.label')}>
        {MODES.map((m) => (
          <button
            key={m}
            type="button"
            class={`tab ${m === mode ? 'tab-active' : ''}`}
            aria-pressed={m === mode}
            onClick={() => {
              setMode(m);
              setReloads((n) => n + 1);
            }}
          >
            {m}
          </button>
        ))}
      </div>
      <iframe
        key={`${mode}-${reloads}`}
        class="widget-frame"
        title={t('debug.modes.frameTitle', { mode })}
        src={`/?mode=${mode}`}
      />
    </section>
  );
}
