import type { Connection, Target } from './connection.ts';
import type { Connections } from './connections.ts';
import type { FrameText } from './server-frames.ts';

/** Which local sockets follow each channel: what every delivery looks up, and nothing else. */
export class Channels {
  private readonly members = new Map<string, Set<Connection>>();

  constructor(private readonly connections: Connections) {}

  /** Whether any local socket follows this channel (no subscriber here, no work here). */
  has(channel: string): boolean {
    return this.members.has(channel);
  }

  names(): IterableIterator<string> {
    return this.members.keys();
  }

  /** The sockets following a channel (a copy: safe to unsubscribe while iterating). */
  socketsOf(channel: string): Connection[] {
    return [...(this.members.get(channel) ?? [])];
  }

  add(channel: string, conn: Connection): void {
    let members = this.members.get(channel);
    if (!members) this.members.set(channel, (members = new Set()));
    members.add(conn);
  }

  /** Removes a socket from a channel; true when nobody here follows the channel any more. */
  remove(channel: string, conn: Connection): boolean {
    const members = this.members.get(channel);
    members?.delete(conn);
    if (members && members.size === 0) {
      this.members.delete(channel);
      return true;
    }
    return false;
  }

  /** Each follower of a channel with its subscription there. */
  targets(channel: string): Target[] {
    const members = this.members.get(channel);
    if (!members) return [];
    const out: Target[] = [];
    for (const conn of members) {
      const sub = conn.subs.get(channel);
      if (sub) out.push({ conn, sub });
    }
    return out;
  }

  broadcast(channel: string, frame: FrameText): void {
    const members = this.members.get(channel);
    if (members) for (const conn of members) this.connections.send(conn, frame);
  }
}
