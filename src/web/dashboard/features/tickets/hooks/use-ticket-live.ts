import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { z } from 'zod';
import type { AgentMessage } from '../../../../../contracts/agents.ts';
import { FRAME, ticketChannel } from '../../../../../contracts/realtime-constants.ts';
import { messageSchema, ticketSchema } from '../../../../../contracts/tickets.ts';
import { useRealtime } from '../../../../staff/realtime-context.tsx';
import type { TicketDetail } from '../api/get-ticket.ts';
import { ticketKeys } from '../api/keys.ts';
import { appendMessage } from '../api/reply-to-ticket.ts';

/** A typing indicator that is never cleared (lost frame, closed tab) must not stay on screen forever. */
const TYPING_EXPIRY_MS = 6000;
/** While the agent types, "typing: true" is repeated at most this often; "false" follows this long after the last key. */
const TYPING_IDLE_MS = 3000;

// Frames carry the customer-side message shape; which agent wrote it is not needed to show it.
const liveMessageSchema = messageSchema.extend({ agent_id: z.string().nullable().default(null) });

export type TicketLive = {
  customerTyping: boolean;
  /** How many agents have the ticket open, this one included (the server's presence frame). */
  viewers: number | null;
  /** Call on every keystroke of the reply box; `stopTyping` when the reply is sent. */
  notifyTyping: () => void;
  stopTyping: () => void;
};

/**
 * The ticket's channel: new messages are added to the cached conversation at once (then the ticket is
 * refetched, docs/dashboard.md), status changes update the controls, and typing and presence are tracked.
 * It subscribes once the ticket is loaded (`loaded`), with `since` = the seq of the newest message
 * loaded (0 when there is none: every message of the ticket), so a message sent between the page load
 * and the subscription is not missed; the shared client then resumes each reconnect from the last seq
 * it delivered. Status changes have no resume point: the ticket is refetched on every `subscribed`.
 */
export function useTicketLive(ticketId: string, loaded = true): TicketLive {
  const realtime = useRealtime();
  const queryClient = useQueryClient();
  const [customerTyping, setCustomerTyping] = useState(false);
  const [viewers, setViewers] = useState<number | null>(null);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const channel = ticketChannel(ticketId);

  useEffect(() => {
    if (!loaded) return;
    let typingTimer: ReturnType<typeof setTimeout> | null = null;
    const detail = queryClient.getQueryData<TicketDetail>(ticketKeys.detail(ticketId));
    const since = detail?.messages.reduce((max, m) => Math.max(max, m.seq), 0) ?? 0;
    const refetch = () => {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticketId) });
    };
    const unsubscribe = realtime.subscribe(channel, {
      since,
      onMessage: (frameMessage) => {
        const parsed = liveMessageSchema.safeParse(frameMessage);
        if (parsed.success) {
          const message: AgentMessage = parsed.data;
          queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticketId), (old) => appendMessage(old, message));
          if (message.author_type === 'user') setCustomerTyping(false);
        }
        refetch();
        void queryClient.invalidateQueries({ queryKey: ticketKeys.suggestions(ticketId) });
      },
      onTicket: (frameTicket) => {
        // The frame carries the customer-side ticket; the agent-only fields come with the refetch.
        const parsed = ticketSchema.safeParse(frameTicket);
        if (parsed.success) {
          queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticketId), (old) =>
            old ? { ...old, ticket: { ...old.ticket, ...parsed.data } } : old,
          );
        }
        refetch();
      },
      onTyping: (authorType, typing) => {
        if (authorType !== 'user') return;
        setCustomerTyping(typing);
        if (typingTimer) clearTimeout(typingTimer);
        if (typing) typingTimer = setTimeout(() => setCustomerTyping(false), TYPING_EXPIRY_MS);
      },
      onPresence: (agents) => setViewers(agents),
      onFrame: (frame) => {
        // A note from another agent (agents only): the timeline comes with the refetch.
        // A merge (ticket.merged): the renumbered conversation, or where this one went, comes with it too.
        if (frame.type === FRAME.subscribed || frame.type === FRAME.timelineUpdated || frame.type === FRAME.ticketMerged) refetch();
      },
    });
    return () => {
      unsubscribe();
      if (typingTimer) clearTimeout(typingTimer);
      setCustomerTyping(false);
      setViewers(null);
    };
  }, [realtime, queryClient, ticketId, channel, loaded]);

  const stopTyping = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (typingSentAt.current) realtime.typing(channel, false);
    typingSentAt.current = 0;
  }, [realtime, channel]);

  const notifyTyping = useCallback(() => {
    const now = Date.now();
    if (now - typingSentAt.current > TYPING_IDLE_MS) {
      realtime.typing(channel, true);
      typingSentAt.current = now;
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }, [realtime, channel, stopTyping]);

  useEffect(() => stopTyping, [stopTyping]);

  return { customerTyping, viewers, notifyTyping, stopTyping };
}
