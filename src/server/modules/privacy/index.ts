// The privacy module's public surface (docs/privacy.md): what other modules and the app may import.
export { privacyRoutes } from './privacy.routes.ts';
export { mintPrivacyLinkTokens, privacyConfirmLink, PRIVACY_EMAIL_TYPES } from './request-privacy.ts';
export { renderPrivacyEmail } from './privacy-email.ts';
export { anonymiseClosedTickets, purgeAccessRecord, purgeExpiredPrivacyRequests, purgeSentEmails } from './apply-retention.ts';
