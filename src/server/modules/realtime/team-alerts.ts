import { ALERT_KINDS, TEAM_CHANNEL, type Alert } from '../../../contracts/realtime.ts';
import { EXCERPT_MAX_CHARS } from '../../../contracts/team.ts';
import { findMentionById, findMessageById, findTicketById, isCustomerAnswer } from '../tickets/index.ts';
import { findAvailability } from './availability.repo.ts';
import type { Channels } from './channels.ts';
import type { HubContext } from './connection.ts';
import type { Connections } from './connections.ts';
import type { TaskChains } from './ordered-delivery.ts';
import { alertFrame, availabilityFrame, type FrameText } from './server-frames.ts';

/**
 * The `team` channel of this instance (docs/agents.md "Availability", "Alerts"): every agent's
 * availability to every subscriber, and each alert only to the agent it is for:
 * - a new ticket: to its assignee when round-robin gave it one, else to every agent;
 * - a customer's message after the ticket's creation: to the ticket's assignee;
 * - an @mention: to the agent named.
 * Nothing is queried unless someone here follows `team`.
 */
export class TeamAlerts {
  constructor(
    private readonly ctx: HubContext,
    private readonly connections: Connections,
    private readonly channels: Channels,
    private readonly chains: TaskChains,
  ) {}

  /** Tells the subscribers an agent's availability now (in that agent's chain, after its own writes). */
  availability(agentId: string): void {
    this.chains.enqueue(`agent:${agentId}`, async () => {
      if (!this.channels.has(TEAM_CHANNEL)) return;
      const found = await findAvailability(this.ctx.db, agentId);
      this.channels.broadcast(TEAM_CHANNEL, availabilityFrame(agentId, found?.availability ?? 'offline'));
    });
  }

  async ticketCreated(ticketId: string): Promise<void> {
    if (!this.channels.has(TEAM_CHANNEL)) return;
    const ticket = await findTicketById(this.ctx.db, ticketId);
    if (!ticket) return;
    this.send(ticket.assignee_id, alertFrame(this.alert(ALERT_KINDS.ticketCreated, ticketId, ticket.email, ticket.message, ticket.created_at)));
  }

  async customerMessage(ticketId: string, messageId: string): Promise<void> {
    if (!this.channels.has(TEAM_CHANNEL)) return;
    const ticket = await findTicketById(this.ctx.db, ticketId);
    // The messages written with the ticket (its opening, the bot thread before it) are the new ticket's
    // alert, not an answer.
    if (!ticket?.assignee_id || !(await isCustomerAnswer(this.ctx.db, ticketId, messageId))) return;
    const message = await findMessageById(this.ctx.db, messageId);
    if (!message) return;
    this.send(ticket.assignee_id, alertFrame(this.alert(ALERT_KINDS.customerMessage, ticketId, ticket.email, message.body, message.created_at)));
  }

  async mention(mentionId: string): Promise<void> {
    if (!this.channels.has(TEAM_CHANNEL)) return;
    const mention = await findMentionById(this.ctx.db, mentionId);
    if (!mention) return;
    const alert: Alert = {
      kind: ALERT_KINDS.mention,
      ticket_id: mention.ticket_id,
      email: null,
      excerpt: mention.excerpt,
      by: mention.by,
      mention_id: mention.id,
      created_at: mention.created_at,
    };
    this.send(mention.agent_id, alertFrame(alert));
  }

  private alert(kind: Alert['kind'], ticketId: string, email: string, text: string, at: Date): Alert {
    return { kind, ticket_id: ticketId, email, excerpt: text.slice(0, EXCERPT_MAX_CHARS), by: null, mention_id: null, created_at: at.toISOString() };
  }

  /** To this agent's `team` subscribers, or to every subscriber when `agentId` is null. */
  private send(agentId: string | null, frame: FrameText): void {
    for (const { conn } of this.channels.targets(TEAM_CHANNEL)) {
      if (agentId === null || conn.agent?.id === agentId) this.connections.send(conn, frame);
    }
  }
}
