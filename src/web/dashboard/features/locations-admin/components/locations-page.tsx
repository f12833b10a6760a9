import { useState } from 'preact/hooks';
import type { HoursException, LocationBody, Schedule, WeeklySpan } from '../../../../../contracts/locations.ts';
import { LOCATION_LIMITS } from '../../../../../contracts/locations.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { ApiError } from '../../../../staff/http.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useLocations, type AdminLocation } from '../api/get-locations.ts';
import { useDeleteLocation, useSaveLocation } from '../api/save-location.ts';
import { useSaveSupportHours, useSupportHours } from '../api/support-hours.ts';
import { formatExceptions, formatWeek, parseExceptions, parsePostcodes, parseWeek } from '../hours-text.ts';

const ZONES = ['Europe/Brussels', 'Europe/Paris', 'Europe/Amsterdam', 'Europe/Luxembourg'];
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Admins enter the restaurants (where, which postcodes, weekly hours, dated exceptions) and the support team's hours. */
export function LocationsPage() {
  const { t } = useTranslation();
  const locations = useLocations();
  const [adding, setAdding] = useState(false);
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('locations.title')}</h1>
        {!adding && (
          <button type="button" class="btn btn-primary" onClick={() => setAdding(true)}>
            {t('locations.add')}
          </button>
        )}
      </header>
      <p class="muted small">{t('locations.hoursHelp')}</p>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <ErrorState error={locations.error} onRetry={() => void locations.refetch()} />
      ) : (
        <div class="faq-list">
          {adding && <LocationForm onDone={() => setAdding(false)} />}
          {locations.data.locations.map((l) => (
            <LocationForm key={l.id} location={l} />
          ))}
        </div>
      )}
      <SupportHoursForm />
    </div>
  );
}

function useWeekdayNames(): string[] {
  const { lang } = useTranslation();
  // 2024-01-01 was a Monday.
  const format = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
  return DAYS.map((d) => format.format(new Date(Date.UTC(2024, 0, d))));
}

/** The weekly rows and exceptions as text, read back into the contract's shape (or the reason it cannot be). */
function useHoursFields(initial: { hours: WeeklySpan[]; exceptions: HoursException[] }) {
  const { t } = useTranslation();
  const [week, setWeek] = useState(formatWeek(initial.hours));
  const [exceptions, setExceptions] = useState(formatExceptions(initial.exceptions, t('locations.closedWord')));
  const days = useWeekdayNames();
  const read = (): { hours: WeeklySpan[]; exceptions: HoursException[] } | string => {
    const w = parseWeek(week);
    if ('badDay' in w) return t('locations.badDay', { day: days[w.badDay - 1] });
    const e = parseExceptions(exceptions);
    if ('badLine' in e) return t('locations.badException', { line: e.badLine });
    return { hours: w.hours, exceptions: e.exceptions };
  };
  return { week, setWeek, exceptions, setExceptions, days, read };
}

function HoursFields({ id, fields }: { id: string; fields: ReturnType<typeof useHoursFields> }) {
  const { t } = useTranslation();
  return (
    <>
      <fieldset class="field">
        <legend>{t('locations.weekly')}</legend>
        {fields.days.map((name, i) => (
          <label key={name} class="field">
            <span>{name}</span>
            <input
              id={`${id}-day-${i + 1}`}
              value={fields.week[i]}
              placeholder={t('locations.closedPlaceholder')}
              onInput={(e) => {
                const value = e.currentTarget.value;
                fields.setWeek((w) => w.map((row, j) => (j === i ? value : row)));
              }}
            />
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-exceptions`}>{t('locations.exceptions')}</label>
        <textarea id={`${id}-exceptions`} rows={4} value={fields.exceptions} onInput={(e) => fields.setExceptions(e.currentTarget.value)} />
        <span class="muted small field-hint">{t('locations.exceptionsHint', { closed: t('locations.closedWord') })}</span>
      </div>
    </>
  );
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError && error.status > 0 && error.status < 500 ? error.message : fallback;
}

function LocationForm({ location, onDone }: { location?: AdminLocation; onDone?: () => void }) {
  const { t } = useTranslation();
  const save = useSaveLocation();
  const remove = useDeleteLocation();
  const [id, setId] = useState(location?.id ?? '');
  const [name, setName] = useState(location?.name ?? '');
  const [city, setCity] = useState(location?.city ?? '');
  const [address, setAddress] = useState(location?.address ?? '');
  const [phone, setPhone] = useState(location?.phone ?? '');
  const [timezone, setTimezone] = useState(location?.timezone ?? ZONES[0]!);
  const [postcodes, setPostcodes] = useState(location?.postcodes.join(', ') ?? '');
  const hours = useHoursFields({ hours: location?.hours ?? [], exceptions: location?.exceptions ?? [] });
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const formId = `location-${location?.id ?? 'new'}`;
  return (
    <form
      class="card faq-entry"
      aria-labelledby={`${formId}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        const read = hours.read();
        if (typeof read === 'string') return setProblem(read);
        setProblem(null);
        const body: LocationBody = {
          name,
          city,
          timezone,
          postcodes: parsePostcodes(postcodes),
          ...read,
          ...(address.trim() ? { address } : {}),
          ...(phone.trim() ? { phone } : {}),
        };
        save.mutate({ id, body }, { onSuccess: () => (setSaved(true), onDone?.()) });
      }}
    >
      <h2 id={`${formId}-heading`}>{location ? location.name : t('locations.new')}</h2>
      <div class="toolbar">
        <div class="field field-grow">
          <label for={`${formId}-id`}>{t('locations.id')}</label>
          <input id={`${formId}-id`} required readOnly={!!location} pattern="[a-z0-9][a-z0-9\-]{0,62}" value={id} onInput={(e) => setId(e.currentTarget.value)} />
          {!location && <span class="muted small field-hint">{t('locations.idHint')}</span>}
        </div>
        <div class="field field-grow">
          <label for={`${formId}-name`}>{t('locations.name')}</label>
          <input id={`${formId}-name`} required maxLength={LOCATION_LIMITS.nameMaxChars} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field field-grow">
          <label for={`${formId}-city`}>{t('locations.city')}</label>
          <input id={`${formId}-city`} required maxLength={LOCATION_LIMITS.nameMaxChars} value={city} onInput={(e) => setCity(e.currentTarget.value)} />
        </div>
      </div>
      <div class="toolbar">
        <div class="field field-grow">
          <label for={`${formId}-address`}>{t('locations.address')}</label>
          <input id={`${formId}-address`} maxLength={LOCATION_LIMITS.addressMaxChars} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
        </div>
        <div class="field field-grow">
          <label for={`${formId}-phone`}>{t('locations.phone')}</label>
          <input id={`${formId}-phone`} type="tel" maxLength={LOCATION_LIMITS.phoneMaxChars} value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
        </div>
        <TimezoneField id={`${formId}-timezone`} value={timezone} onChange={setTimezone} />
      </div>
      <div class="field">
        <label for={`${formId}-postcodes`}>{t('locations.postcodes')}</label>
        <textarea id={`${formId}-postcodes`} rows={2} value={postcodes} onInput={(e) => setPostcodes(e.currentTarget.value)} />
        <span class="muted small field-hint">{t('locations.postcodesHint')}</span>
      </div>
      <HoursFields id={formId} fields={hours} />
      <div class="form-actions">
        <span role="status" aria-live="polite" class="small">
          {problem ? (
            <span class="error-text">{problem}</span>
          ) : save.error || remove.error ? (
            <span class="error-text">{errorText(save.error ?? remove.error, t('errors.generic'))}</span>
          ) : (
            saved && <span class="success-text">{t('locations.saved')}</span>
          )}
        </span>
        <span class="toolbar">
          {location ? (
            <button
              type="button"
              class="btn btn-danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(t('locations.confirmDelete', { name: location.name }))) remove.mutate(location.id);
              }}
            >
              {t('locations.delete')}
            </button>
          ) : (
            <button type="button" class="btn btn-ghost" onClick={onDone}>
              {t('locations.cancel')}
            </button>
          )}
          <button type="submit" class="btn btn-primary" disabled={save.isPending}>
            {t('locations.save')}
          </button>
        </span>
      </div>
    </form>
  );
}

function TimezoneField({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <div class="field field-grow">
      <label for={id}>{t('locations.timezone')}</label>
      <input id={id} required list={`${id}-zones`} value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      <datalist id={`${id}-zones`}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  );
}

function SupportHoursForm() {
  const support = useSupportHours();
  const { t } = useTranslation();
  return (
    <section class="card faq-entry" aria-labelledby="support-hours-heading">
      <h2 id="support-hours-heading">{t('locations.supportTitle')}</h2>
      <p class="muted small">{t('locations.supportHelp')}</p>
      {support.isPending ? (
        <Loading />
      ) : support.isError ? (
        <ErrorState error={support.error} onRetry={() => void support.refetch()} />
      ) : (
        // Remounted only when hours appear or are cleared, so that "Saved." stays after a save.
        <SupportHoursFields key={support.data.supportHours ? 'set' : 'none'} current={support.data.supportHours} />
      )}
    </section>
  );
}

function SupportHoursFields({ current }: { current: Schedule | null }) {
  const { t } = useTranslation();
  const save = useSaveSupportHours();
  const [timezone, setTimezone] = useState(current?.timezone ?? ZONES[0]!);
  const hours = useHoursFields({ hours: current?.hours ?? [], exceptions: current?.exceptions ?? [] });
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <form
      class="faq-entry"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        const read = hours.read();
        if (typeof read === 'string') return setProblem(read);
        setProblem(null);
        save.mutate({ timezone, ...read }, { onSuccess: () => setSaved(true) });
      }}
    >
      <p class="small">{current ? t('locations.supportSet') : t('locations.supportAlways')}</p>
      <TimezoneField id="support-timezone" value={timezone} onChange={setTimezone} />
      <HoursFields id="support" fields={hours} />
      <div class="form-actions">
        <span role="status" aria-live="polite" class="small">
          {problem ? (
            <span class="error-text">{problem}</span>
          ) : save.error ? (
            <span class="error-text">{errorText(save.error, t('errors.generic'))}</span>
          ) : (
            saved && <span class="success-text">{t('locations.saved')}</span>
          )}
        </span>
        <span class="toolbar">
          {current && (
            <button type="button" class="btn btn-ghost" disabled={save.isPending} onClick={() => save.mutate(null, { onSuccess: () => setSaved(true) })}>
              {t('locations.supportClear')}
            </button>
          )}
          <button type="submit" class="btn btn-primary" disabled={save.isPending}>
            {t('locations.save')}
          </button>
        </span>
      </div>
    </form>
  );
}
