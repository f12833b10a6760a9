import { useMutation } from '@tanstack/react-query';
import { useTranslation } from '../../../../lib/i18n.ts';
import { perfMonitor } from '../../../../lib/perf-monitor.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { askQuestion } from '../api/ask-question.ts';
import { AskForm } from './ask-form.tsx';
import { BotAnswers } from './bot-answers.tsx';

/**
 * The `welcome` mode: a greeting, a free question answered by the chatbot (with a way to a person),
 * and the way to the help menu.
 */
export function WelcomePanel({ onHelp, onTalkToPerson }: { onHelp: () => void; onTalkToPerson: (question: string) => void }) {
  const { t, lang } = useTranslation();
  const ask = useMutation({
    mutationFn: async (text: string) => {
      const end = perfMonitor.startMeasure('chat_ask');
      const result = await askQuestion(text, lang);
      end();
      return result;
    },
  });
  return (
    <div class="tf-welcome">
      <h2 class="tf-h2">{t('welcome.title')}</h2>
      <p>{t('welcome.intro')}</p>
      <AskForm onAsk={(text) => ask.mutate(text)} busy={ask.isPending} />
      <ErrorNotice error={ask.error} />
      {ask.data && (
        <BotAnswers result={ask.data} onTalkToPerson={() => onTalkToPerson(ask.variables ?? '')} onDone={() => ask.reset()} />
      )}
      <button type="button" class="tf-btn tf-btn--ghost tf-block" onClick={onHelp}>
        {t('welcome.open_help')}
      </button>
    </div>
  );
}
