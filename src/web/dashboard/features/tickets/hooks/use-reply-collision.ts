import { useEffect, useState } from 'preact/hooks';
import type { AgentMessage } from '../../../../../contracts/agents.ts';
import { FRAME, ticketChannel } from '../../../../../contracts/realtime-constants.ts';
import { useRealtime } from '../../../../staff/realtime-context.tsx';

/** Another agent's typing frame that is never cleared (closed tab) stops counting after this. */
const TYPING_EXPIRY_MS = 6000;
/** Another agent's reply this recent, and not followed by one of ours, is worth a warning. */
export const RECENT_REPLY_MS = 2 * 60_000;

export type ReplyCollision = {
  /** The other agents typing a reply on this ticket right now. */
  typing: Array<{ id: string; name: string }>;
  /** The agent (id) who replied last, moments ago, after this agent's own last reply; null otherwise. */
  repliedBy: string | null;
};

/** The newest reply of another agent within RECENT_REPLY_MS that no reply of `meId` followed. */
export function recentOtherReply(messages: AgentMessage[], meId: string | null, now: number): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.author_type !== 'agent') continue;
    if (m.agent_id === meId || m.agent_id === null) return null;
    return now - new Date(m.created_at).getTime() <= RECENT_REPLY_MS ? m.agent_id : null;
  }
  return null;
}

/**
 * Two agents answering the same ticket at once (docs/dashboard.md "Two agents on one ticket"): the other
 * agents' typing comes on the ticket's channel with their name, and their replies with the ticket's
 * messages. Subscribes once the page has loaded, after useTicketLive (which sets the resume point).
 */
export function useReplyCollision(ticketId: string, meId: string | null, messages: AgentMessage[], loaded: boolean): ReplyCollision {
  const realtime = useRealtime();
  const [typing, setTyping] = useState<Array<{ id: string; name: string }>>([]);
  const [, setTick] = useState(0);

  useEffect(() => {
    if (!loaded) return;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const stop = (id: string) => {
      clearTimeout(timers.get(id));
      timers.delete(id);
      setTyping((prev) => prev.filter((a) => a.id !== id));
    };
    const unsubscribe = realtime.subscribe(ticketChannel(ticketId), {
      onFrame: (frame) => {
        if (frame.type === FRAME.messageCreated && frame.message.author_type === 'agent') {
          // Whoever wrote it stopped typing; who it was comes with the refetched messages.
          setTyping([]);
          return;
        }
        if (frame.type !== FRAME.typing || !frame.agent || frame.agent.id === meId) return;
        const agent = frame.agent;
        if (!frame.typing) return stop(agent.id);
        setTyping((prev) => (prev.some((a) => a.id === agent.id) ? prev : [...prev, agent]));
        clearTimeout(timers.get(agent.id));
        timers.set(agent.id, setTimeout(() => stop(agent.id), TYPING_EXPIRY_MS));
      },
    });
    // "Just replied" fades by itself: look again while a recent reply may still count.
    const tick = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => {
      unsubscribe();
      clearInterval(tick);
      for (const t of timers.values()) clearTimeout(t);
      setTyping([]);
    };
  }, [realtime, ticketId, meId, loaded]);

  return { typing, repliedBy: recentOtherReply(messages, meId, Date.now()) };
}
