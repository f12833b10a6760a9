import { useTeam } from '../../../../staff/api/get-team.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import type { ReplyCollision as Collision } from '../hooks/use-reply-collision.ts';

/** Above the reply box: another agent is typing on this ticket, or has just replied. */
export function ReplyCollision({ collision }: { collision: Collision }) {
  const { t } = useTranslation();
  const team = useTeam();
  const nameOf = (id: string) => team.data?.agents.find((a) => a.id === id)?.name ?? t('collision.someone');
  const lines: string[] = collision.typing.map((a) => t('collision.typing', { name: a.name }));
  if (collision.repliedBy) lines.push(t('collision.replied', { name: nameOf(collision.repliedBy) }));
  return (
    <div class="reply-collision" role="status">
      {lines.map((line) => (
        <p key={line} class="reply-collision-line">
          {line}
        </p>
      ))}
    </div>
  );
}
