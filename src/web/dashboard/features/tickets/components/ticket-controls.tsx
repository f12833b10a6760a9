import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import type { AgentTicket } from '../../../../../contracts/agents.ts';
import { AGENT_LIMITS } from '../../../../../contracts/agents.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../../../../contracts/tickets.ts';
import { useMe } from '../../../../staff/api/get-me.ts';
import { useTeam } from '../../../../staff/api/get-team.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useAddNote } from '../api/add-note.ts';
import { useUpdateTicket } from '../api/update-ticket.ts';

/**
 * Status, priority and assignee (each change one PATCH, on the timeline), and the internal note box
 * (POST …/notes: agents only, never sent to the customer).
 */
export function TicketControls({ ticket, assigneeName }: { ticket: AgentTicket; assigneeName: string | null }) {
  const { t } = useTranslation();
  const me = useMe().data ?? null;
  const update = useUpdateTicket(ticket.id);
  const addNote = useAddNote(ticket.id);
  // The same list as the sidebar's team (kept live by its availability frames).
  const team = useTeam();
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const error = update.error ?? addNote.error;

  const change = (body: { status?: TicketStatus; priority?: TicketPriority; assignee_id?: string | null }, label: string) => {
    setSaved(null);
    addNote.reset();
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
      <div class="field">
        <span id="ticket-assignee-label">{t('ticket.assignee')}</span>
        <p class="assignee" aria-labelledby="ticket-assignee-label">
          {ticket.assignee_id === null
            ? t('ticket.unassigned')
            : ticket.assignee_id === me?.id
              ? t('ticket.assignedToMe')
              : (assigneeName ?? t('ticket.assignedToOther'))}
        </p>
        {team.data && (
          <div class="field">
            <label for="ticket-assign-to">{t('ticket.assignTo')}</label>
            <select
              id="ticket-assign-to"
              name="assignee"
              value={ticket.assignee_id ?? ''}
              disabled={update.isPending}
              onChange={(e) => change({ assignee_id: e.currentTarget.value || null }, t('ticket.assignSaved'))}
            >
              <option value="">{t('ticket.nobody')}</option>
              {ticket.assignee_id && !team.data.agents.some((a) => a.id === ticket.assignee_id) && (
                <option value={ticket.assignee_id}>{assigneeName ?? t('ticket.assignedToOther')}</option>
              )}
              {team.data.agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.id === me?.id ? t('ticket.meOption', { name: a.name }) : a.name} ({t(`ticket.agentAvailability.${a.availability}`)})
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="button-row">
          {me && ticket.assignee_id !== me.id && (
            <button type="button" class="btn btn-small" disabled={update.isPending} onClick={() => change({ assignee_id: me.id }, t('ticket.assignSaved'))}>
              {t('ticket.assignToMe')}
            </button>
          )}
          {ticket.assignee_id !== null && (
            <button type="button" class="btn btn-small btn-ghost" disabled={update.isPending} onClick={() => change({ assignee_id: null }, t('ticket.assignSaved'))}>
              {t('ticket.unassign')}
            </button>
          )}
        </div>
      </div>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!note.trim()) return;
          setSaved(null);
          update.reset();
          addNote.mutate({ body: note.trim() }, { onSuccess: () => (setNote(''), setSaved(t('ticket.noteSaved'))) });
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
        <span class="small muted">{t('ticket.noteHint')}</span>
        <button type="submit" class="btn btn-small" disabled={addNote.isPending || !note.trim()}>
          {t('ticket.saveNote')}
        </button>
      </form>
      <p class="small" role="status" aria-live="polite">
        {error ? (
          <span class="error-text">
            {error instanceof ApiError && error.status > 0 && error.status < 500
              ? error.message
              : t('errors.generic')}
          </span>
        ) : (
          saved && <span class="success-text">{saved}</span>
        )}
      </p>
    </section>
  );
}
