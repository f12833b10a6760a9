import { mentionListSchema } from '../../../../../contracts/team.ts';
import { apiRequest } from '../../../../staff/http.ts';

/** GET /api/agent/mentions?unread=1: the @mentions the agent has not read (made while offline too). */
export function getUnreadMentions() {
  return apiRequest('/api/agent/mentions?unread=1', mentionListSchema);
}

/** POST /api/agent/mentions/read (204). */
export function markMentionsRead(ids: string[]) {
  return apiRequest('/api/agent/mentions/read', null, { method: 'POST', body: { ids } });
}
