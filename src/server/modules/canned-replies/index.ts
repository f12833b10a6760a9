// The canned replies module's public surface (issue 16): the team's stored replies, docs/agents.md.
export { cannedRepliesRoutes } from './canned-replies.routes.ts';
