import { z } from 'zod';

/** The daily checklist's window (docs/api.md, GET /api/agent/checklist): the last 24 hours up to now. */
export const CHECKLIST_WINDOW_HOURS = 24;

/**
 * `GET /api/agent/checklist`: the daily checklist at a glance. Errors logged (server and
 * browsers) and first agent responses recorded in the last 24 h; tickets open right now, whatever
 * their age. The average is null when no first response was recorded in the window.
 */
export const checklistResponseSchema = z.object({
  since: z.string(),
  until: z.string(),
  errors: z.object({ server: z.number().int(), client: z.number().int(), total: z.number().int() }),
  openTickets: z.number().int(),
  avgFirstResponseSeconds: z.number().nullable(),
  firstResponses: z.number().int(),
});
export type ChecklistResponse = z.infer<typeof checklistResponseSchema>;
