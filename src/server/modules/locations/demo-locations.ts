import type { HoursException, LocationBody, WeeklySpan } from '../../../contracts/locations.ts';
import type { Db } from '../../db/index.ts';
import { anyLocations, lockLocationsSeed, upsertLocationRow } from './locations.repo.ts';

const BRUSSELS = 'Europe/Brussels';
const PARIS = 'Europe/Paris';

/** The FAQ's hours: every day 11:00–23:00, until 01:00 on Fridays and Saturdays (`lateClose` for a later night). */
function weekly(lateClose = '01:00'): WeeklySpan[] {
  return [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:00', close: day === 5 || day === 6 ? lateClose : '23:00' }));
}

/** Days from `first` (YYYY-MM-DD), each with the same hours. */
function days(first: string, count: number, hours: HoursException['hours']): HoursException[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => ({ date: new Date(start + i * 86_400_000).toISOString().slice(0, 10), hours }));
}

/** Bank holidays of Belgium and France (closed on Christmas, a late night for New Year). */
const BANK_HOLIDAYS: HoursException[] = [
  { date: '2026-12-25', closed: true },
  { date: '2026-12-31', hours: [{ open: '11:00', close: '03:00' }] },
  { date: '2027-01-01', hours: [{ open: '17:00', close: '01:00' }] },
];
/** Ramadan 2027 (about 8 February to 9 March): open later in the evening, past midnight. */
const RAMADAN_EVENINGS = days('2027-02-08', 30, [{ open: '11:00', close: '03:00' }]);

/** One restaurant or more in each of the seven cities the FAQ names (docs/locations.md lists them). */
export const DEMO_LOCATIONS: Array<{ id: string } & LocationBody> = [
  {
    id: 'brussels-ixelles',
    name: 'Tasty Food Ixelles',
    address: 'Chaussée d’Ixelles 120, 1050 Ixelles',
    phone: '+32 2 511 00 01',
    city: 'Bruxelles',
    timezone: BRUSSELS,
    postcodes: ['1000', '1040', '1047', '1050', '1060', '1170', '1180', '1190'],
    hours: weekly(),
    exceptions: [...BANK_HOLIDAYS, ...RAMADAN_EVENINGS],
  },
  {
    id: 'brussels-schaerbeek',
    name: 'Tasty Food Schaerbeek',
    address: 'Chaussée de Haecht 300, 1030 Schaerbeek',
    phone: '+32 2 511 00 02',
    city: 'Bruxelles',
    timezone: BRUSSELS,
    postcodes: ['1020', '1030', '1070', '1080', '1081', '1082', '1083', '1090', '1120', '1130', '1140', '1150', '1160', '1200', '1210'],
    hours: weekly(),
    exceptions: [...BANK_HOLIDAYS, ...RAMADAN_EVENINGS],
  },
  {
    id: 'liege',
    name: 'Tasty Food Liège',
    address: 'Rue Saint-Gilles 50, 4000 Liège',
    phone: '+32 4 222 00 03',
    city: 'Liège',
    timezone: BRUSSELS,
    postcodes: ['4000', '4020', '4030', '4031', '4032', '4100'],
    hours: weekly(),
    exceptions: BANK_HOLIDAYS,
  },
  {
    id: 'charleroi',
    name: 'Tasty Food Charleroi',
    address: 'Boulevard Tirou 80, 6000 Charleroi',
    phone: '+32 71 30 00 04',
    city: 'Charleroi',
    timezone: BRUSSELS,
    postcodes: ['6000', '6001', '6010', '6020', '6030', '6040', '6041', '6042', '6060', '6061'],
    hours: [
      ...[1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:30', close: '14:30' })),
      ...[1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '17:30', close: day >= 5 && day <= 6 ? '01:00' : '23:00' })),
    ],
    exceptions: BANK_HOLIDAYS,
  },
  {
    id: 'antwerp',
    name: 'Tasty Food Antwerpen',
    address: 'De Keyserlei 40, 2018 Antwerpen',
    phone: '+32 3 200 00 05',
    city: 'Antwerpen',
    timezone: BRUSSELS,
    postcodes: ['2000', '2018', '2020', '2030', '2050', '2060', '2100', '2140', '2600'],
    hours: weekly(),
    exceptions: BANK_HOLIDAYS,
  },
  {
    id: 'ghent',
    name: 'Tasty Food Gent',
    address: 'Sint-Pietersnieuwstraat 60, 9000 Gent',
    phone: '+32 9 220 00 06',
    city: 'Gent',
    timezone: BRUSSELS,
    postcodes: ['9000', '9030', '9031', '9032', '9040', '9041', '9042', '9050', '9051', '9052'],
    hours: weekly('02:00'),
    exceptions: BANK_HOLIDAYS,
  },
  {
    id: 'lille',
    name: 'Tasty Food Lille',
    address: 'Rue de Béthune 30, 59000 Lille',
    phone: '+33 3 20 00 00 07',
    city: 'Lille',
    timezone: PARIS,
    postcodes: ['59000', '59160', '59260', '59650', '59777', '59800'],
    hours: weekly(),
    exceptions: BANK_HOLIDAYS,
  },
  {
    id: 'roubaix',
    name: 'Tasty Food Roubaix',
    address: 'Grande Rue 90, 59100 Roubaix',
    phone: '+33 3 20 00 00 08',
    city: 'Roubaix',
    timezone: PARIS,
    postcodes: ['59100', '59150', '59170', '59200'],
    hours: weekly(),
    exceptions: [...BANK_HOLIDAYS, ...RAMADAN_EVENINGS],
  },
];

/**
 * Loads the demo restaurants into a database that has none; returns how many it inserted. A restart (some
 * already there) is one statement, without the transaction and its lock; an empty table takes the locked
 * path (instances starting together).
 */
export async function seedDemoLocations(db: Db): Promise<number> {
  if (await anyLocations(db)) return 0;
  return db.transaction(async (tx) => {
    if (!(await lockLocationsSeed(tx))) return 0;
    for (const { id, ...body } of DEMO_LOCATIONS) await upsertLocationRow(tx, id, body);
    return DEMO_LOCATIONS.length;
  });
}
