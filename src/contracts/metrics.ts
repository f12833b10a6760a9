import { z } from 'zod';

/** Bounds of `POST /api/metrics` (client performance metrics, docs/widget.md), each defined once. */
export const METRICS_LIMITS = {
  batchMax: 50,
  nameMaxChars: 64,
  /** Serialized size of one metric's metadata. */
  metadataMaxBytes: 2048,
  /** Days one summary may span. */
  summaryMaxDays: 366,
} as const;

/**
 * Whether PostgreSQL's jsonb can store this value: it refuses `\u0000` and a lone surrogate in any key or
 * string (a 500 if they reached it), so they are refused here with a 400.
 */
function isStorableJson(value: unknown): boolean {
  let ok = true;
  const storable = (s: string) => !s.includes('\u0000') && s.isWellFormed();
  JSON.stringify(value, (key: string, v: unknown) => {
    if (!storable(key) || (typeof v === 'string' && !storable(v))) ok = false;
    return v;
  });
  return ok;
}

/** Client timestamps (ms since 1970) accepted: 2000-01-01 to 2100-01-01. */
const TIMESTAMP_MIN = 946_684_800_000;
const TIMESTAMP_MAX = 4_102_444_800_000;

export const clientMetricSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(METRICS_LIMITS.nameMaxChars)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'),
  value: z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
  timestamp: z.number().int().min(TIMESTAMP_MIN).max(TIMESTAMP_MAX),
  metadata: z
    .record(z.string().max(64), z.unknown())
    .refine((m) => JSON.stringify(m).length <= METRICS_LIMITS.metadataMaxBytes, {
      message: `must serialize to at most ${METRICS_LIMITS.metadataMaxBytes} bytes`,
    })
    .refine(isStorableJson, { message: 'must not contain NUL characters or lone surrogates' })
    .optional(),
});
export type ClientMetric = z.infer<typeof clientMetricSchema>;

/** One metric, or a batch `{metrics: [...]}` of at most 50. */
export const metricsBodySchema = z.union([
  clientMetricSchema,
  z.strictObject({ metrics: z.array(clientMetricSchema).min(1).max(METRICS_LIMITS.batchMax) }),
]);
export type MetricsBody = z.infer<typeof metricsBodySchema>;
export const metricsAcceptedSchema = z.object({ accepted: z.number().int() });

/** Per metric name and UTC day: count, average, min, max and p95 (nearest rank, docs/widget.md). */
export const metricSummaryRowSchema = z.object({
  day: z.string(),
  name: z.string(),
  count: z.number().int(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  p95: z.number(),
});
export type MetricSummaryRow = z.infer<typeof metricSummaryRowSchema>;
