/** Names of the embed check, without zod: the embed loader (/widget.js, 10 KB budget) imports them. */

/** The path the embed loader asks before it shows the launcher on a restaurant's page. */
export const EMBED_CHECK_PATH = '/api/widget/embed-check';
