import { HANDOFF_WAIT_WINDOW_DAYS, type ChatHandoffResponse } from '../../../contracts/chat.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { getSupportStatus } from '../locations/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The median first response (seconds) since a date, or null: the analytics module's, handed in by the app. */
export type MedianFirstResponse = (q: Queryable, since: Date) => Promise<number | null>;

/**
 * When a person usually answers: while support is closed, when it opens again (the support hours of the
 * locations module); while it is open, the median first response of the last HANDOFF_WAIT_WINDOW_DAYS days.
 */
export async function getHandoffWait(options: {
  db: Queryable;
  lang: Lang;
  medianFirstResponse: MedianFirstResponse;
  now?: Date;
}): Promise<ChatHandoffResponse> {
  const now = options.now ?? new Date();
  const status = await getSupportStatus({ db: options.db, lang: options.lang, now });
  if (!status.open) return status.nextAnswer ? { open: false, nextAnswer: status.nextAnswer } : { open: false };
  const median = await options.medianFirstResponse(options.db, new Date(now.getTime() - HANDOFF_WAIT_WINDOW_DAYS * DAY_MS));
  return median === null ? { open: true } : { open: true, medianFirstResponseSeconds: Math.round(median) };
}
