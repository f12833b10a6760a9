import { useTranslation } from '../../../../lib/i18n.ts';

export type HelpOption = 'faq' | 'track' | 'support' | 'ticket';

/** The help menu (seed: mode `help`): what the customer can do. */
export function HelpMenu({ onSelect, hasConversation = false }: { onSelect: (option: HelpOption) => void; hasConversation?: boolean }) {
  const { t } = useTranslation();
  const options: { id: HelpOption; icon: string }[] = [
    ...(hasConversation ? [{ id: 'ticket' as const, icon: '💬' }] : []),
    { id: 'faq', icon: '❓' },
    { id: 'track', icon: '🛵' },
    { id: 'support', icon: '✉️' },
  ];
  return (
    <nav class="tf-help" aria-labelledby="tf-help-title">
      <h2 id="tf-help-title" class="tf-h2">
        {t('help.title')}
      </h2>
      <ul class="tf-menu">
        {options.map((o) => (
          <li key={o.id}>
            <button type="button" class="tf-menu__item" onClick={() => onSelect(o.id)}>
              <span class="tf-menu__icon" aria-hidden="true">
                {o.icon}
              </span>
              <span>
                <span class="tf-menu__label">{t(`help.${o.id}.label`)}</span>
                <span class="tf-menu__hint">{t(`help.${o.id}.hint`)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
