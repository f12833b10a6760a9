import type { AdminLocation, HoursAtResponse, LocationBody, LocationSummary } from '../../../contracts/locations.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { AppError } from '../../http/app-error.ts';
import {
  deleteLocationRow,
  findLocationRow,
  listLocationRows,
  listLocationRowsDeliveringTo,
  upsertLocationRow,
  type LocationRow,
} from './locations.repo.ts';
import { hoursAt, type HoursAt } from './opening-hours.ts';

const isoTime = (h: HoursAt['opensAt']) => h?.toISO({ suppressMilliseconds: true }) ?? undefined;

/** The contract's `{open, opensAt?, closesAt?}`, times in the schedule's zone with their offset. */
export function toHoursAtResponse(h: HoursAt): HoursAtResponse {
  return {
    open: h.open,
    ...(h.opensAt ? { opensAt: isoTime(h.opensAt) } : {}),
    ...(h.closesAt ? { closesAt: isoTime(h.closesAt) } : {}),
  };
}

export function toLocationSummary(row: LocationRow, now: Date): LocationSummary {
  const { open, ...next } = toHoursAtResponse(hoursAt(row, now));
  return { id: row.id, name: row.name, city: row.city, timezone: row.timezone, openNow: open, ...next };
}

function toAdminLocation(row: LocationRow): AdminLocation {
  return {
    id: row.id,
    name: row.name,
    ...(row.address ? { address: row.address } : {}),
    ...(row.phone ? { phone: row.phone } : {}),
    city: row.city,
    timezone: row.timezone,
    postcodes: row.postcodes,
    hours: row.hours,
    exceptions: row.exceptions,
    updatedAt: iso(row.updated_at),
  };
}

/** Every location, with whether it is open at `now`. */
export async function listLocations(options: { db: Queryable; now?: Date }): Promise<LocationSummary[]> {
  const now = options.now ?? new Date();
  return (await listLocationRows(options.db)).map((row) => toLocationSummary(row, now));
}

/** Whether one location is open at an instant, and the next change. */
export async function getLocationHours(options: { db: Queryable; id: string; at?: Date }): Promise<HoursAtResponse> {
  const row = await findLocationRow(options.db, options.id);
  if (!row) throw new AppError('not_found', { reason: 'location_not_found' });
  return toHoursAtResponse(hoursAt(row, options.at ?? new Date()));
}

/** The locations that deliver to a postcode (none: an empty list). */
export async function listLocationsDeliveringTo(options: { db: Queryable; postcode: string; now?: Date }): Promise<LocationSummary[]> {
  const now = options.now ?? new Date();
  return (await listLocationRowsDeliveringTo(options.db, options.postcode)).map((row) => toLocationSummary(row, now));
}

/** Every location whole, as admins edit them. */
export async function listAdminLocations(options: { db: Queryable }): Promise<AdminLocation[]> {
  return (await listLocationRows(options.db)).map(toAdminLocation);
}

/** Creates or replaces a location, its postcodes, hours and exceptions, in one transaction. */
export async function saveLocation(options: { db: Db; id: string; body: LocationBody }): Promise<AdminLocation> {
  const row = await options.db.transaction(async (tx) => {
    await upsertLocationRow(tx, options.id, options.body);
    return findLocationRow(tx, options.id);
  });
  return toAdminLocation(row!);
}

export async function removeLocation(options: { db: Queryable; id: string }): Promise<void> {
  if (!(await deleteLocationRow(options.db, options.id))) throw new AppError('not_found', { reason: 'location_not_found' });
}
