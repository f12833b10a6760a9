import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { AGENT_LIMITS, AGENT_ROLES, type AgentAccount, type AgentRole } from '../../../../../contracts/agents.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDateTime } from '../../../../staff/format.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useCreateAgent } from '../api/create-agent.ts';
import { useAgents } from '../api/get-agents.ts';
import { useUpdateAgent } from '../api/update-agent.ts';
import { AssignmentSettings } from './assignment-settings.tsx';

function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError && err.status > 0 && err.status < 500 ? err.message : fallback;
}

/**
 * Admins invite agents, change their role and disable them (which ends their sessions), and choose how
 * new tickets are assigned (round-robin).
 */
export function AgentsPage({ currentAgentId }: { currentAgentId: string }) {
  const { t } = useTranslation();
  const agents = useAgents();
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('agents.title')}</h1>
      </header>
      <InviteForm />
      <section class="card" aria-labelledby="agents-heading">
        <div class="card-header">
          <h2 id="agents-heading">{t('agents.list')}</h2>
        </div>
        {agents.isPending ? (
          <Loading />
        ) : agents.isError ? (
          <ErrorState error={agents.error} onRetry={() => void agents.refetch()} />
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('agents.name')}</th>
                  <th scope="col">{t('agents.email')}</th>
                  <th scope="col">{t('agents.role')}</th>
                  <th scope="col">{t('agents.state')}</th>
                  <th scope="col">{t('agents.lastLogin')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('agents.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {agents.data.agents.map((agent) => (
                  <AgentRow key={agent.id} agent={agent} isSelf={agent.id === currentAgentId} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AssignmentSettings />
    </div>
  );
}

function AgentRow({ agent, isSelf }: { agent: AgentAccount; isSelf: boolean }) {
  const { t, lang } = useTranslation();
  const update = useUpdateAgent();
  return (
    <tr data-agent-email={agent.email}>
      <td>
        {agent.name}
        {isSelf && <span class="muted small"> ({t('agents.you')})</span>}
      </td>
      <td>{agent.email}</td>
      <td>
        <label class="sr-only" for={`role-${agent.id}`}>
          {t('agents.roleOf', { name: agent.name })}
        </label>
        <select
          id={`role-${agent.id}`}
          value={agent.role}
          disabled={isSelf || update.isPending}
          onChange={(e) => update.mutate({ id: agent.id, body: { role: e.currentTarget.value as AgentRole } })}
        >
          {AGENT_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span class={`badge ${agent.disabled ? 'badge-status-closed' : 'badge-status-resolved'}`}>
          {agent.disabled ? t('agents.disabled') : t('agents.active')}
        </span>
      </td>
      <td>{agent.last_login_at ? formatDateTime(agent.last_login_at, lang) : '—'}</td>
      <td>
        <div class="cell-actions">
        {!isSelf && (
          <button
            type="button"
            class={`btn btn-small ${agent.disabled ? '' : 'btn-danger'}`}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: agent.id, body: { disabled: !agent.disabled } })}
          >
            {agent.disabled ? t('agents.enable') : t('agents.disable')}
            <span class="sr-only"> {agent.name}</span>
          </button>
        )}
        {update.error && (
          <span class="error-text small" role="alert">
            {errorText(update.error, t('errors.generic'))}
          </span>
        )}
        </div>
      </td>
    </tr>
  );
}

function InviteForm() {
  const { t } = useTranslation();
  const create = useCreateAgent();
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as AgentRole });
  const [created, setCreated] = useState<{ email: string; password?: string } | null>(null);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated(null);
    create.mutate(form, {
      onSuccess: (res) => {
        setCreated({ email: res.agent.email, password: res.password });
        setForm({ email: '', name: '', role: 'agent' });
      },
    });
  };

  return (
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('agents.invite')}</h2>
      <form class="toolbar" onSubmit={onSubmit}>
        <label class="field field-grow">
          <span>{t('agents.name')}</span>
          <input required maxLength={AGENT_LIMITS.nameMaxChars} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label class="field field-grow">
          <span>{t('agents.email')}</span>
          <input type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        </label>
        <div class="field">
          <label for="invite-role">{t('agents.role')}</label>
          <select id="invite-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as AgentRole })}>
            {AGENT_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary" disabled={create.isPending}>
          {t('agents.inviteSubmit')}
        </button>
      </form>
      <div role="status" aria-live="polite">
        {created && (
          <div class="alert alert-success">
            <p>{t('agents.invited', { email: created.email })}</p>
            {created.password && (
              <p>
                {t('agents.passwordOnce')} <code class="secret">{created.password}</code>
              </p>
            )}
          </div>
        )}
      </div>
      {create.error && (
        <p class="alert alert-error" role="alert">
          {errorText(create.error, t('errors.generic'))}
        </p>
      )}
    </section>
  );
}
