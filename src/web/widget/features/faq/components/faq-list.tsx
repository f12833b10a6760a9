import { useMemo, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { useDebounce } from '../../../../lib/use-debounce.ts';
import type { FaqEntry } from '../api/get-faq.ts';

function normalize(s: string) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The FAQ (seed: mode `faq`) as native disclosure widgets (keyboard and screen readers for free), with
 * a filter debounced as the seed's search, and a way on to a person.
 */
export function FaqList({ entries, onContact }: { entries: FaqEntry[]; onContact?: () => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const query = useDebounce(normalize(filter.trim()), 200);
  const shown = useMemo(
    () => (query ? entries.filter((e) => normalize(`${e.title} ${e.answer}`).includes(query)) : entries),
    [entries, query],
  );
  return (
    <section class="tf-faq" aria-labelledby="tf-faq-title">
      <h2 id="tf-faq-title" class="tf-h2">
        {t('faq.title')}
      </h2>
      <label class="tf-field">
        <span class="tf-label">{t('faq.search')}</span>
        <input type="search" class="tf-input" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      {shown.length === 0 ? (
        <p class="tf-muted" role="status">
          {t('faq.empty')}
        </p>
      ) : (
        <ul class="tf-faq__list">
          {shown.map((e) => (
            <li key={e.key}>
              <details class="tf-faq__item">
                <summary>{e.title}</summary>
                <p class="tf-faq__answer">{e.answer}</p>
              </details>
            </li>
          ))}
        </ul>
      )}
      {onContact && (
        <p class="tf-faq__more">
          {t('faq.not_found')}{' '}
          <button type="button" class="tf-link" onClick={onContact}>
            {t('faq.contact')}
          </button>
        </p>
      )}
    </section>
  );
}
