import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { BotTurnDetail } from '../../../../../contracts/chat.ts';
import { ApiError } from '../../../../lib/api-client.ts';
import { useTranslation } from '../../../../lib/i18n.ts';
import { perfMonitor } from '../../../../lib/perf-monitor.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { askInThread, getThread, sendFeedback } from '../api/thread-api.ts';
import { BotBubble } from './bot-bubble.tsx';

/** A bubble: the customer's question (`text`, `id` while it waits in the outbox) or the bot's answer (`detail`). */
type Item = { key: string; text?: string; detail?: BotTurnDetail | null; waiting?: boolean; id?: string };

/** A question waiting to be sent, as the widget's outbox store keeps it (IndexedDB, else memory). */
type Waiting = { clientId: string; ticketId: string; body: string; createdAt: number; order: number; status: 'pending' | 'failed'; attempts: number };

/** The store of the ticket outbox (`offline-queue.ts`), handed in by the app shell: the thread's questions live under THREAD_OUTBOX. */
export type ThreadOutbox = {
  list(key: string): Promise<Waiting[]>;
  put(item: Waiting): Promise<void>;
  remove(clientId: string): Promise<void>;
};

/** The key of the thread's questions in the outbox store (ticket ids are UUIDs: no clash). */
export const THREAD_OUTBOX = 'thread';

/** After a network failure, the next try comes this much later (and at once on `online`). */
const RETRY_MS = 10_000;

let nextKey = 0;
const keyOf = () => `l${++nextKey}`;

/**
 * The first screen: one thread with the bot. The customer's questions and the bot's answers follow each
 * other; the thread is kept by the server under its conversation token (stored by the app shell), so a
 * reload shows it again. A question asked offline waits in the thread (and in the outbox store, so a
 * reload keeps it) and goes once when the network is back.
 * "Talk to a person" asks only for the e-mail and turns the thread into a ticket (`handoff`).
 */
export function ThreadPanel({
  token,
  onToken,
  onHelp,
  track,
  handoff,
  outbox,
}: {
  token: string | null;
  /** Where questions asked offline wait, so a reload keeps them. */
  outbox: ThreadOutbox;
  onToken: (token: string | null) => void;
  onHelp: () => void;
  /** The tracking form and live status card, pre-filled with the number the text gave. */
  track: (orderNumber?: string) => ComponentChildren;
  /** The form that asks what a person needs (the e-mail) and opens the ticket with the thread. */
  handoff: (message: string) => ComponentChildren;
}) {
  const { t, lang } = useTranslation();
  const [items, setItems] = useState<Item[]>([]);
  const [text, setText] = useState('');
  const [person, setPerson] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const current = useRef({ token, items, lang, sending: false, again: false, retry: 0 as unknown as ReturnType<typeof setTimeout>, kept: null as unknown });
  Object.assign(current.current, { token, items, lang });
  const scroller = useRef<HTMLDivElement>(null);
  // The items as of now, for the sending loop (a state updater may run later).
  const update = (fn: (now: Item[]) => Item[]) => setItems((current.current.items = fn(current.current.items)));

  // A kept thread (reload, or the host page handing its token back): shown once, before anything new.
  useEffect(() => {
    if (!token || current.current.items.length) return;
    current.current.kept = getThread(token).then(
      ({ turns }) => update((now) => [...turns.map((turn) => ({ key: `s${turn.seq}`, ...(turn.author_type === 'user' ? { text: turn.body } : { detail: turn.detail }) })), ...now]),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) onToken(null); // deleted by retention
      },
    );
  }, [token]);

  // Questions an earlier page could not send: shown waiting after the kept thread (once it is drawn, so
  // that it does not already hold their answers), then sent.
  useEffect(() => {
    Promise.all([outbox.list(THREAD_OUTBOX), current.current.kept]).then(([saved]) => {
      if (!saved.length) return;
      update((now) => [...now, ...saved.map((m) => ({ key: keyOf(), text: m.body, waiting: true, id: m.clientId }))]);
      void flush();
    });
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items.length, person]);

  // Sends the waiting questions in order, one at a time; stops at the first that cannot go (offline).
  const flush = async (): Promise<void> => {
    // Called while a send is in flight (`online` during a failing try): once more when it ends.
    if (current.current.sending) return void (current.current.again = true);
    current.current.sending = true;
    let next: Item | undefined;
    try {
      while ((next = current.current.items.find((i) => i.waiting))) {
        const end = perfMonitor.startMeasure('chat_ask');
        const answer = await askInThread(next.text!, current.current.lang, current.current.token);
        end();
        if (answer.conversationToken !== current.current.token) onToken((current.current.token = answer.conversationToken));
        const sent = next;
        void outbox.remove(sent.id!);
        update((now) => now.flatMap((i) => (i === sent ? [{ ...i, waiting: false }, { key: keyOf(), detail: answer }] : [i])));
      }
      setError(null);
    } catch (e) {
      setError(e);
      // Refused (not offline): the question is shown as it was, and the next ones may go.
      if (!(e instanceof ApiError && e.status === 0)) {
        void outbox.remove(next!.id!);
        update((now) => now.map((i) => (i === next ? { ...i, waiting: false } : i)));
      } else {
        clearTimeout(current.current.retry);
        current.current.retry = setTimeout(flush, RETRY_MS);
      }
    } finally {
      current.current.sending = false;
      if (current.current.again) {
        current.current.again = false;
        void flush();
      }
    }
  };

  useEffect(() => {
    addEventListener('online', flush);
    return () => {
      removeEventListener('online', flush);
      clearTimeout(current.current.retry);
    };
  }, []);

  const ask = (question: string) => {
    const id = crypto.randomUUID();
    update((now) => [...now, { key: keyOf(), text: question, waiting: true, id }]);
    // Kept before it is sent: a reload before the answer comes finds it (the store falls back to memory when refused).
    void outbox.put({ clientId: id, ticketId: THREAD_OUTBOX, body: question, createdAt: Date.now(), order: 0, status: 'pending', attempts: 0 }).then(flush);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const q = text.trim();
    if (!q) return;
    setText('');
    ask(q);
  };
  // The ticket's opening message: the customer's last question (the whole thread comes before it).
  const talk = () => setPerson([...items].reverse().find((i) => i.text)?.text ?? t('ask.talk_to_person'));
  // Tracking needs no question to the bot: the form comes at once (and is not kept with the thread).
  const trackHere = () =>
    update((now) => [...now, { key: keyOf(), detail: { lang, intent: 'order_tracking', answers: [], escalate: false, action: { type: 'track_order' } } }]);
  const offline = error instanceof ApiError && error.status === 0;

  return (
    <div class="tf-ticket tf-thread">
      <div class="tf-conv__scroll" ref={scroller}>
        <h2 class="tf-h2">{t('welcome.title')}</h2>
        <p>{t('welcome.intro')}</p>
        <div class="tf-thread__after">
          <button type="button" class="tf-chip" onClick={trackHere}>
            {t('help.track.label')}
          </button>
          <button type="button" class="tf-chip" onClick={talk}>
            {t('ask.talk_to_person')}
          </button>
          <button type="button" class="tf-chip" onClick={onHelp}>
            {t('welcome.open_help')}
          </button>
        </div>
        <p class="tf-muted">
          <small>{t('thread.privacy')}</small>
        </p>
        <ul class="tf-conv__list" aria-live="polite">
          {items.map((item) =>
            item.text ? (
              <li key={item.key} class="tf-msg tf-msg--mine" data-author="user" data-state={item.waiting ? 'pending' : 'sent'}>
                <div class="tf-bubble tf-bubble--user">
                  <p class="tf-bubble__body">{item.text}</p>
                  {item.waiting && <span class="tf-pending">{t('ticket.pending')}</span>}
                </div>
              </li>
            ) : (
              item.detail && (
              <BotBubble
                key={item.key}
                detail={item.detail}
                track={track}
                onPerson={talk}
                onFeedback={(key, helpful) => {
                  if (current.current.token) sendFeedback(current.current.token, key, helpful).catch(() => undefined);
                }}
                onOther={(a) => update((now) => [...now, { key: keyOf(), detail: { ...item.detail!, answers: [a] } }])}
              />
              )
            ),
          )}
        </ul>
        {person !== null && handoff(person)}
      </div>
      {!offline && <ErrorNotice error={error} onRetry={() => void flush()} />}
      <form class="tf-composer" onSubmit={submit}>
        <label class="tf-sr-only" for="tf-thread-input">
          {t('ask.label')}
        </label>
        <input
          id="tf-thread-input"
          class="tf-input tf-composer__input"
          maxLength={1000}
          value={text}
          placeholder={t('ask.placeholder')}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" class="tf-btn" disabled={!text.trim()}>
          {t('ask.submit')}
        </button>
      </form>
    </div>
  );
}
