import type { ServerFrame } from '../../../../../contracts/realtime.ts';

/** What the conversation needs from the realtime connection (src/web/lib/realtime-client.ts). */
export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export type LiveSubscription = {
  channel: string;
  token?: string;
  /** Read at every (re)subscription: the last message seq the page has, so the server resends what came after. */
  since?: () => number | undefined;
  onFrame: (frame: ServerFrame) => void;
};

export interface LiveClient {
  subscribe(subscription: LiveSubscription): () => void;
  typing(channel: string, typing: boolean): void;
  status(): LiveStatus;
  onStatus(listener: (status: LiveStatus) => void): () => void;
}

export const ticketChannel = (ticketId: string) => `ticket:${ticketId}`;
export const orderChannel = (number: string) => `order:${number}`;
