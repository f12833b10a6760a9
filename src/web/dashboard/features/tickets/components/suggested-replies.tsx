import { useTranslation } from '../../../../staff/i18n.ts';
import { useSuggestions } from '../api/get-suggestions.ts';

/** The chatbot's suggested replies; one click puts the text in the reply box. */
export function SuggestedReplies({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  const { t } = useTranslation();
  const suggestions = useSuggestions(ticketId);
  if (suggestions.isError || (suggestions.data && suggestions.data.suggestions.length === 0)) return null;
  return (
    <section class="card side-card" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">{t('ticket.suggestions')}</h2>
      {suggestions.isPending ? (
        <p class="muted small">{t('common.loading')}</p>
      ) : (
        <ul class="suggestions">
          {suggestions.data.suggestions.map((s) => (
            <li key={`${s.kind}-${s.key}`}>
              <p class="suggestion-title">
                {s.title} <span class="muted small">· {t(`ticket.suggestionKind.${s.kind}`)}</span>
              </p>
              <p class="suggestion-text">{s.body}</p>
              <button
                type="button"
                class="btn btn-small"
                aria-label={t('ticket.insertSuggestion', { title: s.title })}
                onClick={() => onInsert(s.body)}
              >
                {t('ticket.insert')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
