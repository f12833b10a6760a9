import type { LiveOrder } from '../../../contracts/orders.ts';
import {
  FRAME,
  QUEUE_CHANNEL,
  TEAM_CHANNEL,
  type Alert,
  orderChannel,
  ticketChannel,
  type ServerFrame,
} from '../../../contracts/realtime.ts';
import type { AvailabilityStatus } from '../../../contracts/realtime-constants.ts';
import type { AuthorType, Message, Ticket } from '../../../contracts/tickets.ts';

/**
 * A server → client frame, serialised once and sent as is to every socket it is for. Only the builders
 * below make one, so every frame the hub sends has the contract's shape (`serverFrameSchema`).
 */
export type FrameText = string & { readonly __serverFrame: true };

type ErrorFrame = Extract<ServerFrame, { type: typeof FRAME.error }>;

function encode(frame: ServerFrame): FrameText {
  return JSON.stringify(frame) as FrameText;
}

/** A subscription was taken (`channel`: its canonical name). */
export function subscribedFrame(channel: string): FrameText {
  return encode({ type: FRAME.subscribed, channel });
}

/** The answer to an unsubscribe frame (`channel` as the client sent it, canonicalised). */
export function unsubscribedFrame(channel: string): FrameText {
  return encode({ type: FRAME.unsubscribed, channel });
}

/** A message of a ticket, as the reading side sees it over REST. */
export function messageCreatedFrame(ticketId: string, message: Message): FrameText {
  return encode({ type: FRAME.messageCreated, channel: ticketChannel(ticketId), message });
}

/** A new ticket, on the agents' queue only. */
export function ticketCreatedFrame(ticket: Ticket): FrameText {
  return encode({ type: FRAME.ticketCreated, channel: QUEUE_CHANNEL, ticket });
}

/** A ticket's new state, on the queue (`QUEUE_CHANNEL`) or on the ticket's own channel. */
export function ticketUpdatedFrame(channel: string, ticket: Ticket): FrameText {
  return encode({ type: FRAME.ticketUpdated, channel, ticket });
}

/** An order's current state, on `order:<NUMBER>`. */
export function orderUpdatedFrame(orderNumber: string, order: LiveOrder): FrameText {
  return encode({ type: FRAME.orderUpdated, channel: orderChannel(orderNumber), order });
}

/** Someone on the other side of a ticket started or stopped typing (`agent`: to the other agents only). */
export function typingFrame(ticketId: string, authorType: AuthorType, typing: boolean, agent?: { id: string; name: string }): FrameText {
  return encode({ type: FRAME.typing, channel: ticketChannel(ticketId), author_type: authorType, typing, ...(agent ? { agent } : {}) });
}

/** An agent's availability now, on `team`. */
export function availabilityFrame(agentId: string, availability: AvailabilityStatus): FrameText {
  return encode({ type: FRAME.availability, channel: TEAM_CHANNEL, agent_id: agentId, availability });
}

/** An alert for one agent, on `team`. */
export function alertFrame(alert: Alert): FrameText {
  return encode({ type: FRAME.alert, channel: TEAM_CHANNEL, alert });
}

/** A ticket's internal timeline changed (a note): for the agents on its channel only, who refetch it. */
export function timelineUpdatedFrame(ticketId: string): FrameText {
  return encode({ type: FRAME.timelineUpdated, channel: ticketChannel(ticketId) });
}

/** Ticket `ticketId` was merged into `into` (on the kept ticket's channel too, where `into` is itself). */
export function ticketMergedFrame(ticketId: string, into: string): FrameText {
  return encode({ type: FRAME.ticketMerged, channel: ticketChannel(ticketId), into });
}

/** How many distinct agents view a ticket, across every instance. */
export function presenceFrame(ticketId: string, agents: number): FrameText {
  return encode({ type: FRAME.presence, channel: ticketChannel(ticketId), agents });
}

/** The answer to an application-level ping. */
export function pongFrame(): FrameText {
  return encode({ type: FRAME.pong });
}

/** An error in the contract's shape; `channel` names the subscription it is about, when there is one. */
export function errorFrame(error: { code: ErrorFrame['code']; message: string }, channel?: string): FrameText {
  const frame: ServerFrame = { type: FRAME.error, code: error.code, message: error.message };
  if (channel !== undefined) frame.channel = channel;
  return encode(frame);
}
