import type { Channels } from './channels.ts';
import type { Connections } from './connections.ts';
import type { FrameLimits } from './frame-limits.ts';
import type { OrderUpdates } from './order-updates.ts';
import type { MessageDelivery, TaskChains } from './ordered-delivery.ts';
import type { Presence } from './presence.ts';

/** The hub's parts that subscriptions and recovery both drive (the hub builds them once and hands them over). */
export type HubParts = {
  connections: Connections;
  channels: Channels;
  frameLimits: FrameLimits;
  chains: TaskChains;
  messages: MessageDelivery;
  presence: Presence;
  orders: OrderUpdates;
};
