import { useTranslation } from '../../../../lib/i18n.ts';
import type { AskResult } from '../api/ask-question.ts';

/**
 * The chatbot's answer to a free question, always with a way to reach a person; when the bot itself
 * says the question needs one (`escalate`: a complaint, a problem), that way comes first.
 */
export function BotAnswers({ result, onTalkToPerson, onDone }: { result: AskResult; onTalkToPerson: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const best = result.answers.slice(0, 3);
  return (
    <section class="tf-answers" aria-labelledby="tf-answers-title" aria-live="polite">
      <h2 id="tf-answers-title" class="tf-h2">
        {t('ask.answer_title')}
      </h2>
      {result.escalate && <p class="tf-note">{t('ask.escalate')}</p>}
      {best.length === 0 ? (
        <p>{t('ask.no_answer')}</p>
      ) : (
        <ul class="tf-answers__list">
          {best.map((a) => (
            <li key={a.key} class="tf-bubble tf-bubble--bot">
              <strong>{a.title}</strong>
              <p>{a.answer}</p>
            </li>
          ))}
        </ul>
      )}
      <div class="tf-actions">
        <button type="button" class={result.escalate || best.length === 0 ? 'tf-btn' : 'tf-btn tf-btn--ghost'} onClick={onTalkToPerson}>
          {t('ask.talk_to_person')}
        </button>
        {best.length > 0 && (
          <button type="button" class="tf-btn tf-btn--ghost" onClick={onDone}>
            {t('ask.helpful')}
          </button>
        )}
      </div>
    </section>
  );
}
