import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FRAME, QUEUE_CHANNEL, serverFrameSchema, ticketChannel } from '../../../contracts/realtime.ts';
import type { LiveOrder } from '../../../contracts/orders.ts';
import type { Message, Ticket } from '../../../contracts/tickets.ts';
import {
  errorFrame,
  messageCreatedFrame,
  orderUpdatedFrame,
  pongFrame,
  presenceFrame,
  subscribedFrame,
  ticketCreatedFrame,
  ticketUpdatedFrame,
  typingFrame,
  unsubscribedFrame,
  type FrameText,
} from './server-frames.ts';

const ticketId = randomUUID();
const now = new Date().toISOString();
const ticket: Ticket = {
  id: ticketId,
  email: 'customer@example.com',
  message: 'Où est ma commande ?',
  status: 'open',
  priority: 'normal',
  lang: 'fr',
  order_number: null,
  created_at: now,
  updated_at: now,
  last_agent_reply_at: null,
};
const message: Message = {
  id: randomUUID(),
  request_id: ticketId,
  author_type: 'user',
  body: 'Bonjour',
  client_id: null,
  seq: 1,
  created_at: now,
};

/** The frame as a client reads it, checked against the contract's schema. */
function read(frame: FrameText) {
  return serverFrameSchema.parse(JSON.parse(frame));
}

describe('server frame builders', () => {
  it('build every server frame type in the contract’s shape, on the channel the frame belongs to', () => {
    const frames = [
      read(subscribedFrame(QUEUE_CHANNEL)),
      read(unsubscribedFrame(ticketChannel(ticketId))),
      read(messageCreatedFrame(ticketId, message)),
      read(ticketCreatedFrame(ticket)),
      read(ticketUpdatedFrame(QUEUE_CHANNEL, ticket)),
      read(typingFrame(ticketId, 'agent', true)),
      read(presenceFrame(ticketId, 2)),
      read(pongFrame()),
      read(errorFrame({ code: 'forbidden', message: 'Non' }, ticketChannel(ticketId))),
    ];
    expect(frames.map((f) => f.type)).toEqual([
      FRAME.subscribed,
      FRAME.unsubscribed,
      FRAME.messageCreated,
      FRAME.ticketCreated,
      FRAME.ticketUpdated,
      FRAME.typing,
      FRAME.presence,
      FRAME.pong,
      FRAME.error,
    ]);
    expect(frames[2]).toEqual({ type: FRAME.messageCreated, channel: ticketChannel(ticketId), message });
    expect(frames[3]).toEqual({ type: FRAME.ticketCreated, channel: QUEUE_CHANNEL, ticket });
    expect(frames[5]).toEqual({ type: FRAME.typing, channel: ticketChannel(ticketId), author_type: 'agent', typing: true });
    expect(frames[6]).toEqual({ type: FRAME.presence, channel: ticketChannel(ticketId), agents: 2 });
  });

  it('names an order channel in upper case, whatever the case of the number given', () => {
    const order: LiveOrder = { number: 'TF-1042', status: 'preparing', eta: null, events: [], items: [], updated_at: now };
    expect(read(orderUpdatedFrame('tf-1042', order))).toEqual({ type: FRAME.orderUpdated, channel: 'order:TF-1042', order });
  });

  it('leaves channel out of an error that is about no subscription', () => {
    expect(JSON.parse(errorFrame({ code: 'rate_limited', message: 'Trop vite' }))).toEqual({
      type: FRAME.error,
      code: 'rate_limited',
      message: 'Trop vite',
    });
  });
});
