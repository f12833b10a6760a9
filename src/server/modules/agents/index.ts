// The agents module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { adminRoutes } from './admin.routes.ts';
export { authRoutes } from './auth.routes.ts';
export { currentAgent, isSameOriginRequest, requireAdmin, requireAgent, requireSameOrigin } from './auth-hooks.ts';
export { resolveSessionAgent } from './resolve-session-agent.ts';
export { hashSessionId, type SessionAgent } from './session-agent.ts';
export { createAgent } from './agents.service.ts';
export { ensureFirstAdmin } from './first-admin.ts';
export { isActiveAgent, listAgentNames } from './agents.repo.ts';
