/** The chat's modes: the widget opens in one with `/?mode=<mode>`, which the debug page uses to force one. */
export const CHAT_MODES = ['welcome', 'help', 'faq', 'track', 'support', 'ticket'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];
