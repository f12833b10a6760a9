import { useTranslation } from '../../../../staff/i18n.ts';
import type { InboundEmailInfo } from '../api/get-inbound-emails.ts';

/**
 * Under a customer message that came by e-mail: who sent it, a warning when that is not the ticket's
 * address, and the sender checks (SPF over SMTP only, DKIM, DMARC) as the receiving side found them.
 */
export function EmailOrigin({ info }: { info: InboundEmailInfo }) {
  const { t } = useTranslation();
  const checks = [
    ['SPF', info.spf],
    ['DKIM', info.dkim],
    ['DMARC', info.dmarc],
  ].filter((c): c is [string, string] => c[1] !== null);
  return (
    <div class="message-email small muted" data-sender-matches={String(info.sender_matches)}>
      <span>{t('ticket.byEmail', { from: info.from })}</span>
      {checks.length > 0 && (
        <span>
          {' · '}
          {t('ticket.emailChecks')} {checks.map(([name, verdict]) => `${name} ${verdict}`).join(' · ')}
        </span>
      )}
      {!info.sender_matches && (
        <p class="message-email-warning" role="note">
          {t('ticket.emailStranger')}
        </p>
      )}
    </div>
  );
}
