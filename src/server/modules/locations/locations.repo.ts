import type { HoursException, LocationBody, Schedule, WeeklySpan } from '../../../contracts/locations.ts';
import type { Queryable } from '../../db/index.ts';

export type LocationRow = {
  id: string;
  name: string;
  address: string;
  phone: string;
  city: string;
  timezone: string;
  hours: WeeklySpan[];
  exceptions: HoursException[];
  postcodes: string[];
  updated_at: Date;
};

const SELECT_LOCATIONS = `
  SELECT l.id, l.name, l.address, l.phone, l.city, l.timezone, l.hours, l.exceptions, l.updated_at,
         coalesce((SELECT array_agg(p.postcode ORDER BY p.postcode) FROM location_postcodes p WHERE p.location_id = l.id),
                  '{}'::text[]) AS postcodes
    FROM locations l`;

export async function listLocationRows(q: Queryable): Promise<LocationRow[]> {
  const { rows } = await q.query<LocationRow>(`${SELECT_LOCATIONS} ORDER BY l.city, l.name, l.id`);
  return rows;
}

export async function findLocationRow(q: Queryable, id: string): Promise<LocationRow | null> {
  const { rows } = await q.query<LocationRow>(`${SELECT_LOCATIONS} WHERE l.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The locations that deliver to a postcode. */
export async function listLocationRowsDeliveringTo(q: Queryable, postcode: string): Promise<LocationRow[]> {
  const { rows } = await q.query<LocationRow>(
    `${SELECT_LOCATIONS} WHERE l.id IN (SELECT location_id FROM location_postcodes WHERE postcode = $1) ORDER BY l.city, l.name, l.id`,
    [postcode],
  );
  return rows;
}

/** Creates or replaces a location with its postcodes (call inside a transaction: two tables change). */
export async function upsertLocationRow(tx: Queryable, id: string, body: LocationBody): Promise<void> {
  await tx.query(
    `INSERT INTO locations (id, name, address, phone, city, timezone, hours, exceptions)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
     ON CONFLICT (id) DO UPDATE
        SET name = EXCLUDED.name, address = EXCLUDED.address, phone = EXCLUDED.phone, city = EXCLUDED.city,
            timezone = EXCLUDED.timezone, hours = EXCLUDED.hours, exceptions = EXCLUDED.exceptions,
            updated_at = clock_timestamp()`,
    [id, body.name, body.address ?? '', body.phone ?? '', body.city, body.timezone, JSON.stringify(body.hours), JSON.stringify(body.exceptions)],
  );
  await tx.query('DELETE FROM location_postcodes WHERE location_id = $1', [id]);
  if (body.postcodes.length) {
    await tx.query('INSERT INTO location_postcodes (location_id, postcode) SELECT $1, unnest($2::text[])', [id, body.postcodes]);
  }
}

export async function deleteLocationRow(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM locations WHERE id = $1', [id]);
  return rowCount === 1;
}

export async function anyLocations(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM locations) AS any');
  return rows[0]!.any;
}

/** Serialises the demo seeding of instances starting together; true when the table is still empty. */
export async function lockLocationsSeed(tx: Queryable): Promise<boolean> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('locations-seed', 0))`);
  return !(await anyLocations(tx));
}

export async function findSupportHoursRow(q: Queryable): Promise<Schedule | null> {
  const { rows } = await q.query<Schedule>('SELECT timezone, hours, exceptions FROM support_hours');
  return rows[0] ?? null;
}

export async function upsertSupportHoursRow(q: Queryable, s: Schedule): Promise<void> {
  await q.query(
    `INSERT INTO support_hours (id, timezone, hours, exceptions) VALUES (true, $1, $2::jsonb, $3::jsonb)
     ON CONFLICT (id) DO UPDATE
        SET timezone = EXCLUDED.timezone, hours = EXCLUDED.hours, exceptions = EXCLUDED.exceptions, updated_at = clock_timestamp()`,
    [s.timezone, JSON.stringify(s.hours), JSON.stringify(s.exceptions)],
  );
}

export async function deleteSupportHoursRow(q: Queryable): Promise<void> {
  await q.query('DELETE FROM support_hours');
}
