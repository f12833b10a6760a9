import type { AgentMessage } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { enqueueEmail } from '../../events/email-outbox.ts';
import type { SessionAgent } from '../agents/index.ts';
import { attachmentsByMessage, attachToMessage } from '../attachments/index.ts';
import { appendMessage } from './append-message.ts';
import { toAgentMessage } from './messages.repo.ts';
import { refusal } from './outcomes.ts';

/**
 * POST /api/agent/tickets/:id/messages: an agent's reply. The message (the trigger sets
 * last_agent_reply_at and records the first response once), the `agent_reply` e-mail in the outbox and
 * the ticket.updated event, all in one transaction.
 */
export async function replyAsAgent(options: {
  db: Db;
  agent: SessionAgent;
  ticketId: string;
  body: string;
  clientId?: string;
  /** Agents' uploads on this ticket that the reply carries (the customer can open them from then on). */
  attachmentIds?: readonly string[];
}): Promise<{ message: AgentMessage; created: boolean }> {
  return options.db.transaction(async (tx) => {
    const { ticket, message, created } = await appendMessage(tx, {
      ticketId: options.ticketId,
      authorType: 'agent',
      body: options.body,
      clientId: options.clientId ?? null,
      agentId: options.agent.id,
    });
    if (!created) {
      // A resend of a reply already stored: answer with it. A clientId that names a customer's message
      // is not this agent's to claim.
      if (message.author_type !== 'agent') throw refusal({ outcome: 'client_id_taken' });
      const files = await attachmentsByMessage(tx, [message.id]);
      return { message: { ...toAgentMessage(message), attachments: files.get(message.id) ?? [] }, created: false };
    }
    const attachments = await attachToMessage(tx, {
      ticketId: ticket.id,
      side: 'agent',
      messageId: message.id,
      attachmentIds: options.attachmentIds ?? [],
    });
    await enqueueEmail(tx, {
      requestId: ticket.id,
      messageId: message.id,
      type: 'agent_reply',
      recipient: ticket.email,
      lang: ticket.lang,
    });
    await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: ticket.id });
    return { message: { ...toAgentMessage(message), attachments }, created: true };
  });
}
