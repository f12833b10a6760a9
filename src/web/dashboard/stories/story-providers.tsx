import type { Decorator } from '@storybook/preact-vite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { FRAME } from '../../../contracts/realtime-constants.ts';
import { createRealtimeClient } from '../../lib/realtime-client.ts';
import { RealtimeProvider } from '../../staff/realtime-context.tsx';

/** Puts a story's fixture data in the cache, under the query keys the components ask for. */
export type Seed = (client: QueryClient) => void;

/**
 * A QueryClient holding the story's fixtures and never fetching on its own: every query is disabled by
 * default (a seeded one shows its data, an unseeded one stays "loading"), nothing goes stale and nothing
 * retries. A story needs no server; a button that calls the API still tries, and shows the error.
 */
export function createStoryQueryClient(seed: Seed = () => {}): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: { enabled: false, staleTime: Infinity, gcTime: Infinity, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  seed(client);
  return client;
}

function StoryQueryClient({ seed, children }: { seed: Seed; children: ComponentChildren }) {
  const [client] = useState(() => createStoryQueryClient(seed));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** Decorator: the story renders inside a QueryClient seeded with its fixtures. */
export const withQueryData =
  (seed: Seed = () => {}): Decorator =>
  (Story) => (
    <StoryQueryClient seed={seed}>
      <Story />
    </StoryQueryClient>
  );

/** Frames the story's socket sends back when a channel is subscribed (presence, typing…). */
export type ChannelReplies = (channel: string) => Record<string, unknown>[];

/**
 * The browser WebSocket as the realtime client uses it, opened in memory: it opens at once, answers
 * pings and subscriptions, and reaches no server, so a story shows the live states ("connected",
 * "2 agents viewing", "the customer is typing") on its own.
 */
function storySocket(replies: ChannelReplies): typeof WebSocket {
  class StoryWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = StoryWebSocket.CONNECTING;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;

    constructor() {
      queueMicrotask(() => {
        if (this.readyState !== StoryWebSocket.CONNECTING) return;
        this.readyState = StoryWebSocket.OPEN;
        this.onopen?.(new Event('open'));
      });
    }

    send(data: string): void {
      const frame = JSON.parse(data) as { type: string; channel?: string };
      const answers =
        frame.type === FRAME.ping
          ? [{ type: FRAME.pong }]
          : frame.type === FRAME.subscribe && frame.channel
            ? [{ type: FRAME.subscribed, channel: frame.channel }, ...replies(frame.channel)]
            : [];
      for (const answer of answers)
        queueMicrotask(() => {
          if (this.readyState === StoryWebSocket.OPEN) this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(answer) }));
        });
    }

    close(): void {
      if (this.readyState === StoryWebSocket.CLOSED) return;
      this.readyState = StoryWebSocket.CLOSED;
      this.onclose?.(new CloseEvent('close', { code: 1000 }));
    }
  }
  return StoryWebSocket as unknown as typeof WebSocket;
}

function StoryRealtime({ replies, children }: { replies: ChannelReplies; children: ComponentChildren }) {
  const [client] = useState(() => createRealtimeClient({ url: 'ws://story.invalid/api/realtime', WebSocketImpl: storySocket(replies) }));
  return <RealtimeProvider client={client}>{children}</RealtimeProvider>;
}

/** Decorator: the story renders inside a RealtimeProvider whose socket is the in-memory one above. */
export const withRealtime =
  (replies: ChannelReplies = () => []): Decorator =>
  (Story) => (
    <StoryRealtime replies={replies}>
      <Story />
    </StoryRealtime>
  );
