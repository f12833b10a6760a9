import { useQuery } from '@tanstack/react-query';
import { useTranslation } from '../../../../lib/i18n.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { faqKey, getFaq } from '../api/get-faq.ts';
import { FaqList } from './faq-list.tsx';

/** The `faq` mode: the FAQ of the current language, never stale within a session (docs/widget.md). */
export function FaqPanel({ onContact }: { onContact: () => void }) {
  const { t, lang } = useTranslation();
  const faq = useQuery({ queryKey: faqKey(lang), queryFn: ({ signal }) => getFaq(lang, signal), staleTime: Infinity, gcTime: Infinity });
  if (faq.isPending)
    return (
      <p class="tf-muted" role="status">
        {t('common:loading')}
      </p>
    );
  if (faq.error) return <ErrorNotice error={faq.error} onRetry={() => void faq.refetch()} />;
  return <FaqList entries={faq.data} onContact={onContact} />;
}
