import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { BotTurnDetail } from '../../../../../contracts/chat.ts';
import { useTranslation } from '../../../../lib/i18n.ts';

/**
 * The bot's answer in the thread: its own reply, the tracking form, or the best FAQ answer with "did this
 * help?" and up to two other likely answers as chips; a way to a person when it found nothing or says one
 * should answer. A discreet line says so when it answered in another language than the customer's.
 */
export function BotBubble({
  detail,
  onFeedback,
  onOther,
  onPerson,
  track,
}: {
  detail: BotTurnDetail;
  onFeedback: (key: string, helpful: boolean) => void;
  onOther: (answer: BotTurnDetail['answers'][number]) => void;
  onPerson: () => void;
  track: (orderNumber?: string) => ComponentChildren;
}) {
  const { t, lang } = useTranslation();
  const [voted, setVoted] = useState(false);
  const [best, ...others] = detail.answers;
  const vote = (helpful: boolean) => {
    setVoted(true);
    onFeedback(best!.key, helpful);
  };
  // The FAQ answered (no action, no person needed): the answer with "did this help?" and the other answers.
  const answered = best && !detail.escalate && !detail.action;
  return (
    <li class="tf-msg tf-msg--theirs" data-author="bot">
      {(answered || detail.reply) && (
      <div class="tf-bubble tf-bubble--bot">
        <span class="tf-bubble__author">{t('ticket.author.bot')}</span>
        {answered ? (
          <p class="tf-bubble__body">
            <strong>{best.title}</strong>
            {'\n'}
            {best.answer}
          </p>
        ) : (
          <p class="tf-bubble__body">{detail.reply}</p>
        )}
        {detail.lang !== lang && <small class="tf-muted">{t('thread.in', { language: new Intl.DisplayNames([lang], { type: 'language' }).of(detail.lang) })}</small>}
      </div>
      )}
      {detail.action && <div class="tf-thread__card">{track(detail.action.orderNumber)}</div>}
      {answered && (
        <div class="tf-thread__after">
          {voted ? (
            <span class="tf-muted" role="status">
              {t('thread.thanks')}
            </span>
          ) : (
            <span role="group" aria-label={t('thread.helpful')}>
              {t('thread.helpful')}{' '}
              <button type="button" class="tf-chip" aria-label={t('thread.yes')} onClick={() => vote(true)}>
                👍
              </button>
              <button type="button" class="tf-chip" aria-label={t('thread.no')} onClick={() => vote(false)}>
                👎
              </button>
            </span>
          )}
          {others.length > 0 && (
            <span>
              {t('thread.other')}
              {others.map((a) => (
                <button type="button" key={a.key} class="tf-chip" onClick={() => onOther(a)}>
                  {a.title}
                </button>
              ))}
            </span>
          )}
        </div>
      )}
      {detail.escalate && (
        <button type="button" class="tf-chip" onClick={onPerson}>
          {t('ask.talk_to_person')}
        </button>
      )}
    </li>
  );
}
