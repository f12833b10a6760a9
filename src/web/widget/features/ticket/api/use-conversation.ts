import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { FRAME, ticketChannel } from '../../../../../contracts/realtime-constants.ts';
import type { Message, MessagePage, Ticket } from '../../../../../contracts/tickets.ts';
import { perfMonitor } from '../../../../lib/perf-monitor.ts';
import type { RealtimeClient } from '../../../../lib/realtime-client.ts';
import type { DisplayMessage } from '../components/message-bubble.tsx';
import { createMessageStore, type MessageStore, type QueuedMessage } from './offline-queue.ts';
import { Outbox } from './outbox.ts';
import { uploadFiles } from '../attachments/lazy.tsx';
import { getTicket, listMessages, sendMessage, ticketKeys } from './ticket-api.ts';

const TYPING_TIMEOUT_MS = 8000;

let sharedStore: MessageStore | null = null;
const messageStore = () => (sharedStore ??= createMessageStore());

/** Adds a stored message to the cached pages unless it is there already (by id). */
export function mergeMessage(data: InfiniteData<MessagePage, string | null> | undefined, message: Message) {
  if (!data || data.pages.length === 0) return data;
  if (data.pages.some((p) => p.messages.some((m) => m.id === message.id))) return data;
  const [newest, ...older] = data.pages;
  return { ...data, pages: [{ ...newest!, messages: [...newest!.messages, message] }, ...older] };
}

/**
 * What the customer sees: stored messages in `seq` order, each once (pages may overlap after a refetch,
 * and a live frame may repeat a fetched one), then the outbox's messages the server has not stored yet
 * (a message is shown once: by its id when stored, by its clientId before).
 */
export function displayMessages(pages: readonly MessagePage[], queued: readonly QueuedMessage[]): DisplayMessage[] {
  const byId = new Map<string, Message>();
  for (const page of pages) for (const m of page.messages) byId.set(m.id, m);
  const stored = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const storedClientIds = new Set(stored.map((m) => m.client_id).filter(Boolean));
  const shown: DisplayMessage[] = stored.map((m) => ({
    key: m.id,
    author_type: m.author_type,
    body: m.body,
    created_at: m.created_at,
    state: 'sent',
    clientId: m.client_id,
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
  }));
  for (const q of queued) {
    if (storedClientIds.has(q.clientId)) continue;
    shown.push({ key: q.clientId, author_type: 'user', body: q.body, created_at: null, state: q.status, clientId: q.clientId, error: q.error, files: q.files?.map((f) => f.name) });
  }
  return shown;
}

export type ConversationEvents = {
  /** An agent (or the bot) wrote while the customer was away: notify, count unread. */
  onReply?: (message: Message) => void;
  /** The customer sent something (permission for notifications is asked then). */
  onSent?: () => void;
  /** An agent merged this ticket into another (`into`), which this ticket's token opens: show that one. */
  onMerged?: (into: string) => void;
};

/**
 * A ticket's conversation: the ticket and its messages through React Query (newest page first, older
 * pages on demand), live frames from the realtime client (resumed after the last seq on reconnect),
 * the agent's typing indicator, and the outbox for what the customer writes.
 */
export function useConversation(ticketId: string, token: string, realtime: RealtimeClient | null, events: ConversationEvents = {}) {
  const queryClient = useQueryClient();
  const eventsRef = useRef(events);
  eventsRef.current = events;

  const ticketQuery = useQuery({
    queryKey: ticketKeys.ticket(ticketId),
    queryFn: ({ signal }) => getTicket(ticketId, token, signal).then((r) => r.ticket),
  });
  // A ticket merged while the widget was away: its conversation is now the kept ticket's.
  const mergedInto = ticketQuery.data?.merged_into;
  useEffect(() => {
    if (mergedInto) eventsRef.current.onMerged?.(mergedInto);
  }, [mergedInto]);

  const messagesQuery = useInfiniteQuery({
    queryKey: ticketKeys.messages(ticketId),
    queryFn: ({ pageParam, signal }) => listMessages(ticketId, token, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: MessagePage) => (last.hasMore ? last.nextCursor : undefined),
  });

  const addMessage = useCallback(
    (message: Message) => {
      queryClient.setQueryData<InfiniteData<MessagePage, string | null>>(ticketKeys.messages(ticketId), (data) => mergeMessage(data, message));
    },
    [queryClient, ticketId],
  );

  // The outbox: loaded from IndexedDB (what an earlier page left), then sent in order.
  const [queued, setQueued] = useState<QueuedMessage[]>([]);
  const outboxRef = useRef<Outbox | null>(null);
  useEffect(() => {
    const outbox = new Outbox({
      store: messageStore(),
      ticketId,
      send: async (m) => {
        const end = perfMonitor.startMeasure('message_send');
        const attachmentIds = m.files?.length ? await uploadFiles(ticketId, token, m.files) : undefined;
        const { message } = await sendMessage(ticketId, token, m.body, m.clientId, attachmentIds);
        end();
        return message;
      },
      onSent: addMessage,
    });
    outboxRef.current = outbox;
    const unsubscribe = outbox.subscribe(setQueued);
    void outbox.load();
    return () => {
      unsubscribe();
      outbox.close();
      outboxRef.current = null;
    };
  }, [ticketId, token, addMessage]);

  const pages = messagesQuery.data?.pages ?? [];
  const messages = useMemo(() => displayMessages(pages, queued).map((m) => (m.attachments || m.files ? { ...m, token } : m)), [pages, queued, token]);
  const lastSeq = useRef<number | undefined>(undefined);
  lastSeq.current = pages.reduce<number | undefined>((max, p) => p.messages.reduce((m, x) => (m === undefined || x.seq > m ? x.seq : m), max), undefined);

  // Live frames.
  const [agentTyping, setAgentTyping] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [liveError, setLiveError] = useState<{ code: string; message: string } | null>(null);
  // Subscribe once the newest page is here, so the resume point (`since`) is a known seq from the start.
  const loaded = messagesQuery.isSuccess;
  useEffect(() => {
    if (!realtime || !loaded) return;
    let typingTimer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = realtime.subscribe(ticketChannel(ticketId), {
      token,
      since: lastSeq.current ?? 0,
      onMessage: (message) => {
        addMessage(message);
        if (message.author_type === 'user') return;
        setAgentTyping(false);
        setAnnouncement(message.body);
        if (message.author_type === 'agent') {
          // Seed §3: an agent reply may change the ticket (status, last reply): refetch what is cached.
          void queryClient.invalidateQueries({ queryKey: ticketKeys.ticket(ticketId) });
          void queryClient.invalidateQueries({ queryKey: ticketKeys.messages(ticketId) });
        }
        eventsRef.current.onReply?.(message);
      },
      onTicket: (ticket) => queryClient.setQueryData<Ticket>(ticketKeys.ticket(ticketId), ticket),
      onFrame: (frame) => {
        if (frame.type !== FRAME.ticketMerged) return;
        if (frame.into !== ticketId) return eventsRef.current.onMerged?.(frame.into);
        // Another ticket joined this one: its messages were renumbered, so the pages (and the resume
        // point) are read again from the start.
        void queryClient.resetQueries({ queryKey: ticketKeys.messages(ticketId) });
      },
      onTyping: (authorType, typing) => {
        if (authorType !== 'agent') return;
        setAgentTyping(typing);
        if (typingTimer) clearTimeout(typingTimer);
        // A lost "stopped typing" frame must not leave the indicator on forever.
        if (typing) typingTimer = setTimeout(() => setAgentTyping(false), TYPING_TIMEOUT_MS);
      },
      onError: (code, message) => setLiveError({ code, message }),
    });
    return () => {
      if (typingTimer) clearTimeout(typingTimer);
      unsubscribe();
    };
  }, [realtime, loaded, ticketId, token, addMessage, queryClient]);

  const send = useCallback(async (body: string, files?: File[]) => {
    await outboxRef.current?.enqueue(body, files);
    eventsRef.current.onSent?.();
  }, []);
  const retry = useCallback((clientId: string) => void outboxRef.current?.retry(clientId), []);
  const discard = useCallback((clientId: string) => void outboxRef.current?.discard(clientId), []);
  const typing = useCallback((isTyping: boolean) => realtime?.typing(ticketChannel(ticketId), isTyping), [realtime, ticketId]);

  return {
    ticket: ticketQuery.data ?? null,
    ticketError: ticketQuery.error,
    messages,
    loading: messagesQuery.isPending,
    messagesError: messagesQuery.error,
    hasOlder: !!messagesQuery.hasNextPage,
    loadingOlder: messagesQuery.isFetchingNextPage,
    loadOlder: () => void messagesQuery.fetchNextPage(),
    refetch: () => {
      void ticketQuery.refetch();
      void messagesQuery.refetch();
    },
    agentTyping,
    announcement,
    liveError,
    send,
    retry,
    discard,
    typing,
  };
}
