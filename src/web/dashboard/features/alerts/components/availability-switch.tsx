import { AVAILABILITY_STATUSES, type AvailabilityStatus } from '../../../../../contracts/realtime-constants.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useMyAvailability, useSetAvailability } from '../api/availability.ts';

/** The header's availability choice: online (away by itself when idle), away, or offline to the others. */
export function AvailabilitySwitch() {
  const { t } = useTranslation();
  const mine = useMyAvailability();
  const set = useSetAvailability();
  const current = mine.data;
  return (
    <label class="availability-switch">
      <span class={`availability-dot availability-${current?.availability ?? 'offline'}`} aria-hidden="true" />
      <span class="sr-only">{t('availability.label')}</span>
      <select
        value={current?.status ?? 'online'}
        disabled={!current || set.isPending}
        onChange={(e) => set.mutate(e.currentTarget.value as AvailabilityStatus)}
      >
        {AVAILABILITY_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`availability.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
