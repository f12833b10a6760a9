import { z } from 'zod';
import { langSchema } from './common.ts';

export const LOCATION_LIMITS = {
  nameMaxChars: 100,
  addressMaxChars: 200,
  phoneMaxChars: 40,
  postcodesMax: 300,
  spansMax: 50,
  spansPerExceptionMax: 6,
  exceptionsMax: 400,
} as const;

/** A local time of day, "HH:MM" (00:00–23:59). */
export const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM, 00:00 to 23:59');

/** An IANA time zone the runtime knows ("Europe/Brussels"); checked the same way in Node.js and browsers. */
export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return tz.includes('/') || tz === 'UTC';
      } catch {
        return false;
      }
    },
    { message: 'unknown time zone' },
  );

/** A Belgian (4 digits) or French (5 digits) postcode. */
export const postcodeSchema = z.string().trim().regex(/^\d{4,5}$/, 'expected a postcode of 4 or 5 digits');

/** One opening; a `close` at or before `open` runs past midnight into the next day (00:00–00:00 is 24 hours). */
export const hoursSpanSchema = z.strictObject({ open: hhmmSchema, close: hhmmSchema });
export type HoursSpan = z.infer<typeof hoursSpanSchema>;

/** A weekly opening: `day` is the ISO weekday it opens on (Monday 1 … Sunday 7). */
export const weeklySpanSchema = z.strictObject({ day: z.number().int().min(1).max(7), open: hhmmSchema, close: hhmmSchema });
export type WeeklySpan = z.infer<typeof weeklySpanSchema>;

const isoDateSchema = z.iso.date();

/** A dated exception: closed that day, or open with these hours instead of the weekly ones. */
export const hoursExceptionSchema = z
  .strictObject({
    date: isoDateSchema,
    closed: z.literal(true).optional(),
    hours: z.array(hoursSpanSchema).min(1).max(LOCATION_LIMITS.spansPerExceptionMax).optional(),
  })
  .refine((e) => (e.closed === true) !== (e.hours !== undefined), { message: 'give either closed: true or hours' });
export type HoursException = z.infer<typeof hoursExceptionSchema>;

const uniqueBy = <T>(key: (t: T) => string) => (items: T[]) => new Set(items.map(key)).size === items.length;

const hoursFields = {
  timezone: timezoneSchema,
  hours: z.array(weeklySpanSchema).max(LOCATION_LIMITS.spansMax),
  exceptions: z
    .array(hoursExceptionSchema)
    .max(LOCATION_LIMITS.exceptionsMax)
    .refine(uniqueBy((e: HoursException) => e.date), { message: 'one exception per date' }),
};

/** A weekly schedule with its dated exceptions, in one time zone (a restaurant's, or the support team's). */
export const scheduleSchema = z.strictObject(hoursFields);
export type Schedule = z.infer<typeof scheduleSchema>;

/** `PUT /api/agent/support-hours`. */
export const supportHoursBodySchema = scheduleSchema;
export type SupportHoursBody = Schedule;

/** `PUT /api/agent/locations/:id`: the whole location, its hours and exceptions. */
export const locationBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(LOCATION_LIMITS.nameMaxChars),
  address: z.string().trim().max(LOCATION_LIMITS.addressMaxChars).optional(),
  phone: z.string().trim().max(LOCATION_LIMITS.phoneMaxChars).optional(),
  city: z.string().trim().min(1).max(LOCATION_LIMITS.nameMaxChars),
  postcodes: z
    .array(postcodeSchema)
    .max(LOCATION_LIMITS.postcodesMax)
    .refine(uniqueBy((p: string) => p), { message: 'each postcode once' }),
  ...hoursFields,
});
export type LocationBody = z.infer<typeof locationBodySchema>;

export const locationIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and - only, 63 at most');
export const locationParamsSchema = z.strictObject({ id: locationIdSchema });

/** A location as customers see it, with whether it is open now (times in its zone, ISO 8601 with offset). */
export const locationSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  timezone: z.string(),
  openNow: z.boolean(),
  closesAt: z.string().optional(),
  opensAt: z.string().optional(),
});
export type LocationSummary = z.infer<typeof locationSummarySchema>;
export const locationsResponseSchema = z.object({ locations: z.array(locationSummarySchema) });

export const hoursQuerySchema = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
export const deliversQuerySchema = z.strictObject({ postcode: postcodeSchema });

/** Open or not at one instant, with the next change. */
export const hoursAtResponseSchema = z.object({
  open: z.boolean(),
  opensAt: z.string().optional(),
  closesAt: z.string().optional(),
});
export type HoursAtResponse = z.infer<typeof hoursAtResponseSchema>;

/** A whole location as admins edit it. */
export const adminLocationSchema = locationBodySchema.safeExtend({ id: z.string(), updatedAt: z.string() });
export type AdminLocation = z.infer<typeof adminLocationSchema>;
export const adminLocationsResponseSchema = z.object({ locations: z.array(adminLocationSchema) });
export const adminLocationResponseSchema = z.object({ location: adminLocationSchema });

/** The support team's hours; null when none are set (support counts as always staffed). */
export const supportHoursResponseSchema = z.object({ supportHours: scheduleSchema.nullable() });

/**
 * `GET /api/support-hours`: whether a person is at work now and the next change, for the widget; when
 * closed, `nextAnswer` says when a person will answer in the asked language ("tomorrow from 11:00").
 */
export const supportStatusResponseSchema = hoursAtResponseSchema.extend({
  timezone: z.string().optional(),
  nextAnswer: z.string().optional(),
});
export const supportStatusQuerySchema = z.strictObject({ lang: langSchema.optional() });
export type SupportStatus = z.infer<typeof supportStatusResponseSchema>;
