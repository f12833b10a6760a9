import { z } from 'zod';
import { uuidSchema } from './common.ts';
import { availabilityStatusSchema } from './realtime.ts';

// The team side of the agents' workspace (issue 16): who is available, and the @mentions of notes.

/** An active agent as every agent sees it (the team list, the assignment picker). */
export const teamMemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  /** What the others see now: `offline` without a socket or when chosen, `away` when idle or chosen. */
  availability: availabilityStatusSchema,
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamListSchema = z.object({ agents: z.array(teamMemberSchema) });

/** PUT /api/agent/availability: what the agent chose (`online`: online while active, away when idle). */
export const setAvailabilityBodySchema = z.strictObject({ status: availabilityStatusSchema });
export const availabilityResponseSchema = z.object({
  /** The agent's own choice. */
  status: availabilityStatusSchema,
  /** What the others see now (the choice applied to the sockets' activity). */
  availability: availabilityStatusSchema,
});
export type AvailabilityResponse = z.infer<typeof availabilityResponseSchema>;

/** Someone wrote `@name` in a note: stored, so an agent who was offline sees it later. */
export const mentionSchema = z.object({
  id: z.string(),
  ticket_id: z.string(),
  note_id: z.string(),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
  excerpt: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type Mention = z.infer<typeof mentionSchema>;
export const mentionListSchema = z.object({ mentions: z.array(mentionSchema) });
export const mentionQuerySchema = z.strictObject({ unread: z.enum(['1', 'true']).optional() });
/** POST /api/agent/mentions/read: marks these of the caller's mentions read (others' ids are ignored). */
export const readMentionsBodySchema = z.strictObject({ ids: z.array(uuidSchema).min(1).max(100) });

/** How much of a note or a message an alert or a mention quotes. */
export const EXCERPT_MAX_CHARS = 140;

/** How new tickets are assigned: `round_robin` gives each to the available agent least recently given one. */
export const AUTO_ASSIGN_MODES = ['off', 'round_robin'] as const;
export const autoAssignModeSchema = z.enum(AUTO_ASSIGN_MODES);
export type AutoAssignMode = z.infer<typeof autoAssignModeSchema>;

/**
 * `GET|PUT /api/agent/team/settings`: the team's settings, an admin's choice. `updatedBy` is null for the
 * first value (AUTO_ASSIGN at the first start) or an account since deleted; `updatedAt` is null before any value.
 */
export const teamSettingsSchema = z.object({
  autoAssign: autoAssignModeSchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;
/** PUT /api/agent/team/settings (admins). */
export const updateTeamSettingsBodySchema = z.strictObject({ autoAssign: autoAssignModeSchema });
export type UpdateTeamSettingsBody = z.infer<typeof updateTeamSettingsBodySchema>;
