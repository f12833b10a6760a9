import { useEffect, useRef, useState } from 'preact/hooks';
import { QUEUE_CHANNEL } from '../../../../../contracts/realtime.ts';
import { formatTime } from '../../../../staff/format.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useConnectionState, useRealtime } from '../../../../staff/realtime-context.tsx';
import type { FrameLog, LoggedFrame } from '../frame-log.ts';

const MAX_ENTRIES = 200;

/** Every realtime frame this page sends and receives on the `queue` channel, newest first. */
export function EventLog({ frameLog }: { frameLog: FrameLog }) {
  const { t, lang } = useTranslation();
  const realtime = useRealtime();
  const state = useConnectionState();
  const [entries, setEntries] = useState<LoggedFrame[]>([]);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    const offLog = frameLog.listen((entry) => {
      if (pausedRef.current) return;
      setEntries((prev) => [entry, ...prev].slice(0, MAX_ENTRIES));
    });
    const offQueue = realtime.subscribe(QUEUE_CHANNEL, {});
    return () => {
      offQueue();
      offLog();
    };
  }, [realtime, frameLog]);

  return (
    <section class="card" aria-labelledby="events-heading">
      <div class="card-header">
        <h2 id="events-heading">{t('debug.events.title')}</h2>
        <span class="header-meta">
          <span class={`connection-pill connection-${state}`}>{t(`connection.${state}`)}</span>
          <button type="button" class="btn btn-small" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? t('debug.resume') : t('debug.pause')}
          </button>
          <button type="button" class="btn btn-small" onClick={() => setEntries([])}>
            {t('debug.clear')}
          </button>
        </span>
      </div>
      {entries.length === 0 ? (
        <p class="muted">{t('debug.events.empty')}</p>
      ) : (
        <ol class="event-log" aria-live="off" data-testid="event-log">
          {entries.map((e, i) => (
            <li key={`${e.at}-${i}`} class={`event event-${e.direction}`}>
              <time>{formatTime(new Date(e.at).toISOString(), lang)}</time>
              <span class="event-dir">{e.direction === 'in' ? '←' : '→'}</span>
              <span class="event-type">{String(e.frame.type)}</span>
              <code class="event-body">{JSON.stringify(e.frame)}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
