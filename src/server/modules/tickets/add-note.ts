import { AGENT_ACTIONS, type Note } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import type { SessionAgent } from '../agents/index.ts';
import { insertAgentAction } from './agent-actions.repo.ts';
import { findMentionedAgents } from './find-mentioned-agents.ts';
import { insertMentions, listMentionableAgents } from './mentions.repo.ts';
import { refusal } from './outcomes.ts';
import { findTicketById } from './tickets.repo.ts';

/**
 * POST /api/agent/tickets/:id/notes: an internal note, stored in agent_actions (action `note`, like a
 * PATCH's agent_note) and announced to the agents who have the ticket open (`timeline.updated`, agent
 * subscribers only). `@name` also stores a mention and alerts that agent (docs/agents.md, "Mentions").
 * Nothing else is touched: no message, no e-mail, no customer frame. A ticket merged into another takes
 * none (409): the kept ticket holds its conversation and its notes from then on.
 */
export async function addNote(options: { db: Db; agent: SessionAgent; ticketId: string; body: string }): Promise<Note> {
  return options.db.transaction(async (tx) => {
    const ticket = await findTicketById(tx, options.ticketId);
    if (!ticket) throw refusal({ outcome: 'not_found' });
    if (ticket.merged_into) throw refusal({ outcome: 'merged', into: ticket.merged_into });
    const row = await insertAgentAction(tx, {
      ticketId: ticket.id,
      agentId: options.agent.id,
      action: AGENT_ACTIONS.note,
      details: { note: options.body },
    });
    await publishEvent(tx, { type: BUS_EVENTS.timelineUpdated, ticketId: ticket.id });
    // `@name`: stored for the agent named (read later if offline now) and told to their sockets.
    const named = findMentionedAgents(options.body, await listMentionableAgents(tx), options.agent.id);
    const mentions = await insertMentions(tx, { ticketId: ticket.id, noteId: row.id, byAgentId: options.agent.id, agentIds: named });
    for (const m of mentions) {
      await publishEvent(tx, { type: BUS_EVENTS.mentionCreated, mentionId: m.id, agentId: m.agent_id, ticketId: ticket.id });
    }
    return {
      type: 'note',
      id: row.id,
      created_at: iso(row.created_at),
      agent: { id: options.agent.id, name: options.agent.name },
      body: options.body,
    };
  });
}
