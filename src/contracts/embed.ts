import { z } from 'zod';

export { EMBED_CHECK_PATH } from './embed-constants.ts';

/**
 * `GET /api/widget/embed-check`: whether the page that asks (its `Origin` header) may frame the chat,
 * i.e. is in ALLOWED_ORIGINS (or is the server itself). Readable by any site (`Access-Control-Allow-Origin: *`):
 * a site learns only whether it may embed the chat, which the chat page's CSP already says.
 */
export const embedCheckResponseSchema = z.object({ allowed: z.boolean(), origin: z.string().nullable() });
export type EmbedCheckResponse = z.infer<typeof embedCheckResponseSchema>;
