import { useState } from 'preact/hooks';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { useTranslation } from '../../../../staff/i18n.ts';
import { Link } from '../../../lib/router.tsx';
import { useAccessRecord, usePrivacySettings } from '../api/access-record.ts';
import { useEraseCustomerData, useExportCustomerData, useSetLegalHold, type PrivacyExport } from '../api/customer-data.ts';

/** Hands the export over as a JSON file, named as the API's own download is. */
function downloadExport(document_: PrivacyExport) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `privacy-export-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * One customer's data, when they asked and the operator checked who they are: the export downloads at
 * once; the erasure asks for a confirmation naming the address first, and then says what it erased (or,
 * with a ticket under legal hold, the server's refusal: nothing erased).
 */
function CustomerData() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [includeNotes, setIncludeNotes] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const exporting = useExportCustomerData();
  const erasing = useEraseCustomerData();
  const address = email.trim().toLowerCase();
  const reset = () => {
    exporting.reset();
    erasing.reset();
  };
  return (
    <section aria-labelledby="privacy-data">
      <h2 id="privacy-data">{t('privacy.data')}</h2>
      <p class="muted">{t('privacy.dataIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset();
          setConfirming(null);
          exporting.mutate({ email: address, includeNotes }, { onSuccess: downloadExport });
        }}
      >
        <label>
          {t('privacy.dataEmail')}{' '}
          <input
            id="privacy-data-email"
            type="email"
            required
            maxLength={254}
            value={email}
            onInput={(e) => {
              setEmail(e.currentTarget.value);
              setConfirming(null);
            }}
          />
        </label>{' '}
        <label>
          <input id="privacy-data-notes" type="checkbox" checked={includeNotes} onChange={(e) => setIncludeNotes(e.currentTarget.checked)} />{' '}
          {t('privacy.includeNotes')}
        </label>{' '}
        <button type="submit" class="btn" disabled={!address || exporting.isPending}>
          {t('privacy.export')}
        </button>{' '}
        <button
          type="button"
          class="btn btn-danger"
          disabled={!address || erasing.isPending}
          onClick={() => {
            reset();
            setConfirming(address);
          }}
        >
          {t('privacy.erase')}
        </button>
      </form>
      {confirming && (
        <div role="group" aria-labelledby="privacy-erase-question" class="button-row">
          <p id="privacy-erase-question">{t('privacy.eraseQuestion', { email: confirming })}</p>
          <button
            type="button"
            class="btn btn-danger"
            disabled={erasing.isPending}
            onClick={() => erasing.mutate({ email: confirming }, { onSettled: () => setConfirming(null) })}
          >
            {t('privacy.eraseConfirm')}
          </button>{' '}
          <button type="button" class="btn btn-ghost" onClick={() => setConfirming(null)}>
            {t('privacy.cancel')}
          </button>
        </div>
      )}
      {exporting.isSuccess && (
        <p role="status">{t('privacy.exported', { count: exporting.data.tickets.length, email: exporting.variables.email })}</p>
      )}
      {erasing.isSuccess && (
        <p role="status">
          {t('privacy.erased', {
            count: erasing.data.erased.tickets,
            email: erasing.variables.email,
            messages: erasing.data.erased.messages,
            attachments: erasing.data.erased.attachments,
            emails: erasing.data.erased.emails,
          })}
        </p>
      )}
      {exporting.isError && <ErrorState error={exporting.error} />}
      {erasing.isError && <ErrorState error={erasing.error} />}
    </section>
  );
}

/** Legal hold of one ticket (a dispute, a claim): kept past its period, and its customer's erasure refused. */
function LegalHold() {
  const { t } = useTranslation();
  const [ticketId, setTicketId] = useState('');
  const hold = useSetLegalHold();
  const set = (on: boolean) => hold.mutate({ ticketId: ticketId.trim(), hold: on });
  return (
    <section aria-labelledby="privacy-hold">
      <h2 id="privacy-hold">{t('privacy.hold')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set(true);
        }}
      >
        <label>
          {t('privacy.holdTicket')}{' '}
          <input id="privacy-hold-ticket" required maxLength={36} value={ticketId} onInput={(e) => setTicketId(e.currentTarget.value)} />
        </label>{' '}
        <button type="submit" class="btn" disabled={!ticketId.trim() || hold.isPending}>
          {t('privacy.holdOn')}
        </button>{' '}
        <button type="button" class="btn btn-ghost" disabled={!ticketId.trim() || hold.isPending} onClick={() => set(false)}>
          {t('privacy.holdOff')}
        </button>
      </form>
      {hold.isSuccess && (
        <p role="status">{t(hold.data.legalHold ? 'privacy.heldOn' : 'privacy.heldOff', { ticket: hold.data.ticketId.slice(0, 8) })}</p>
      )}
      {hold.isError && <ErrorState error={hold.error} />}
    </section>
  );
}

/**
 * Privacy for admins (docs/privacy.md): the retention periods in effect, a customer's export and erasure,
 * legal hold of a ticket, and the access record (who viewed, exported or erased whose data), for one
 * address or everyone's.
 */
export function PrivacyPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [email, setEmail] = useState('');
  const settings = usePrivacySettings();
  const record = useAccessRecord(email);
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('privacy.title')}</h1>
      </header>
      <section aria-labelledby="privacy-periods">
        <h2 id="privacy-periods">{t('privacy.periods')}</h2>
        {settings.data && (
          <ul data-testid="privacy-periods">
            <li>{t('privacy.closedTickets', { days: settings.data.closedTicketsDays })}</li>
            <li>{t('privacy.botThreads', { days: settings.data.botThreadsDays })}</li>
            <li>{t('privacy.sentEmails', { days: settings.data.sentEmailsDays })}</li>
            <li>{t('privacy.errorLogs', { days: settings.data.errorLogsDays })}</li>
            <li>{t('privacy.clientMetrics', { days: settings.data.clientMetricsDays })}</li>
            <li>{t('privacy.accessRecord', { days: settings.data.accessRecordDays })}</li>
          </ul>
        )}
      </section>
      <CustomerData />
      <LegalHold />
      <section aria-labelledby="privacy-record">
        <h2 id="privacy-record">{t('privacy.record')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setEmail(draft.trim().toLowerCase());
          }}
        >
          <label>
            {t('privacy.emailFilter')}{' '}
            <input type="email" value={draft} maxLength={254} onInput={(e) => setDraft(e.currentTarget.value)} />
          </label>{' '}
          <button type="submit">{t('privacy.search')}</button>
        </form>
        {record.isPending ? (
          <Loading />
        ) : record.isError ? (
          <ErrorState error={record.error} onRetry={() => void record.refetch()} />
        ) : record.data.entries.length === 0 ? (
          <p class="muted">{t('privacy.empty')}</p>
        ) : (
          <table data-testid="privacy-record">
            <thead>
              <tr>
                <th>{t('privacy.when')}</th>
                <th>{t('privacy.who')}</th>
                <th>{t('privacy.what')}</th>
                <th>{t('privacy.ticket')}</th>
              </tr>
            </thead>
            <tbody>
              {record.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td>{e.agentEmail ?? t(`privacy.actor.${e.actor}`)}</td>
                  <td>{t(`privacy.action.${e.action}`)}</td>
                  <td>{e.ticketId ? <Link to={`/tickets/${e.ticketId}`}>{e.ticketId.slice(0, 8)}</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
