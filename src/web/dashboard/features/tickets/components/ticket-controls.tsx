import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import type { AgentTicket } from '../../../../../contracts/agents.ts';
import { AGENT_LIMITS } from '../../../../../contracts/agents.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../../../../contracts/tickets.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useUpdateTicket } from '../api/update-ticket.ts';

/** Status, priority and an internal note; each change is one PATCH (recorded in agent_actions). */
export function TicketControls({ ticket }: { ticket: AgentTicket }) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  const change = (body: { status?: TicketStatus; priority?: TicketPriority; agent_note?: string }, label: string) => {
    setSaved(null);
    update.mutate(body, { onSuccess: () => setSaved(label) });
  };

  return (
    <section class="card side-card" aria-labelledby="controls-heading">
      <h2 id="controls-heading">{t('ticket.manage')}</h2>
      <div class="field">
        <label for="ticket-status">{t('ticket.status')}</label>
        <select id="ticket-status"
          name="status"
          value={ticket.status}
          disabled={update.isPending}
          onChange={(e) => change({ status: e.currentTarget.value as TicketStatus }, t('ticket.statusSaved'))}
        >
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="ticket-priority">{t('ticket.priority')}</label>
        <select id="ticket-priority"
          name="priority"
          value={ticket.priority}
          disabled={update.isPending}
          onChange={(e) => change({ priority: e.currentTarget.value as TicketPriority }, t('ticket.prioritySaved'))}
        >
          {TICKET_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!note.trim()) return;
          setSaved(null);
          update.mutate({ agent_note: note.trim() }, { onSuccess: () => (setNote(''), setSaved(t('ticket.noteSaved'))) });
        }}
      >
        <label class="field">
          <span>{t('ticket.note')}</span>
          <textarea
            rows={2}
            maxLength={AGENT_LIMITS.agentNoteMaxChars}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="btn btn-small" disabled={update.isPending || !note.trim()}>
          {t('ticket.saveNote')}
        </button>
      </form>
      <p class="small" role="status" aria-live="polite">
        {update.error ? (
          <span class="error-text">
            {update.error instanceof ApiError && update.error.status > 0 && update.error.status < 500
              ? update.error.message
              : t('errors.generic')}
          </span>
        ) : (
          saved && <span class="success-text">{saved}</span>
        )}
      </p>
    </section>
  );
}
