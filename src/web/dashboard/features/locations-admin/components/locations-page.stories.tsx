import type { AdminLocation, Schedule } from '../../../../../contracts/locations.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { locationsKeys } from '../api/get-locations.ts';
import { LocationsPage } from './locations-page.tsx';

const week = (close: (day: number) => string) => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:00', close: close(day) }));

const storyLocations: AdminLocation[] = [
  {
    id: 'ghent',
    name: 'Tasty Food Gent',
    address: 'Sint-Pietersnieuwstraat 60, 9000 Gent',
    city: 'Gent',
    timezone: 'Europe/Brussels',
    postcodes: ['9000', '9030', '9050'],
    hours: week((d) => (d === 5 || d === 6 ? '02:00' : '23:00')),
    exceptions: [
      { date: '2026-12-25', closed: true },
      { date: '2026-12-31', hours: [{ open: '11:00', close: '03:00' }] },
    ],
    updatedAt: '2026-12-01T10:00:00.000Z',
  },
  {
    id: 'lille',
    name: 'Tasty Food Lille',
    city: 'Lille',
    timezone: 'Europe/Paris',
    postcodes: ['59000'],
    hours: week(() => '23:00'),
    exceptions: [],
    updatedAt: '2026-12-01T10:00:00.000Z',
  },
];
const storySupportHours: Schedule = { timezone: 'Europe/Brussels', hours: week(() => '22:00'), exceptions: [] };

export default {
  title: 'Dashboard/Admin/LocationsPage',
  component: LocationsPage,
  decorators: [
    withQueryData((client) => {
      client.setQueryData(locationsKeys.all, { locations: storyLocations });
      client.setQueryData(locationsKeys.supportHours, { supportHours: storySupportHours });
    }),
  ],
  parameters: {
    expectKeys: ['locations.title', 'locations.weekly', 'locations.exceptions', 'locations.postcodes', 'locations.supportTitle', 'locations.supportSet'],
  },
};

export const Default = { args: {} };

/** No support hours yet: support counts as always staffed. */
export const AlwaysStaffed = {
  args: {},
  decorators: [withQueryData((client) => client.setQueryData(locationsKeys.supportHours, { supportHours: null }))],
  parameters: { expectKeys: ['locations.supportAlways'] },
};
