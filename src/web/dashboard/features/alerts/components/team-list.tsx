import { useTeam } from '../../../../staff/api/get-team.ts';
import { useTranslation } from '../../../../staff/i18n.ts';

/** The sidebar's team: every active agent and whether they are online, away or offline, kept live. */
export function TeamList() {
  const { t } = useTranslation();
  const team = useTeam();
  if (!team.data) return null;
  return (
    <section class="team" aria-labelledby="team-heading">
      <h2 id="team-heading" class="team-heading">
        {t('availability.team')}
      </h2>
      <ul class="team-list">
        {team.data.agents.map((a) => (
          <li key={a.id} data-availability={a.availability}>
            <span class={`availability-dot availability-${a.availability}`} aria-hidden="true" />
            {a.name} <span class="team-status">{t(`availability.${a.availability}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
