import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ComponentType } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { storyCases, type StoryModule } from '../../../../.storybook/story-test-harness.ts';
import type { Lang } from '../../../contracts/common.ts';

// What the dashboard's page tests share: a fake server that records every request the page makes, the
// page's story mounted with a QueryClient that really fetches, and the DOM steps of a user.

export type SentRequest = { method: string; url: string; body: unknown };

export const jsonResponse = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json' } });

/**
 * Replaces `fetch` (undo with `vi.unstubAllGlobals()`): each request, its JSON body parsed, is recorded in
 * the returned list, then answered by `answer`; a request it does not answer gets the contract's 404.
 */
export function recordRequests(answer: (request: SentRequest) => Response | undefined): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const request = { method: init.method ?? 'GET', url, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) };
    sent.push(request);
    return answer(request) ?? jsonResponse({ error: { code: 'not_found', message: 'not found' } }, 404);
  });
  return sent;
}

/** The page's story (its stories file's default export) in `lang`, its cache replaced by a QueryClient that fetches (no retries). */
export function mountFetchingStory(meta: unknown, lang: Lang) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Fetching = {
    args: {},
    // A story's own decorator is the innermost: this provider is the one the page reads.
    decorators: [
      (Story: ComponentType) => (
        <QueryClientProvider client={client}>
          <Story />
        </QueryClientProvider>
      ),
    ],
    globals: { lang },
  };
  const [story] = storyCases({ page: { default: meta, Fetching } as unknown as StoryModule });
  return story!.mount();
}

/**
 * Lets the page's requests answer and its re-renders run: waits until 20 ms pass without the page
 * changing (at most a second). A fixed 20 ms was too short on a loaded machine.
 */
export const settle = () =>
  act(async () => {
    let changed = true;
    const observer = new MutationObserver(() => (changed = true));
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    const deadline = Date.now() + 1000;
    try {
      while (changed && Date.now() < deadline) {
        changed = false;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      observer.disconnect();
    }
  });

export async function typeInto(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function submit(form: HTMLFormElement) {
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

/** The element `selector` finds in `root`; throws (the test fails there) when there is none. */
export const q = <T extends Element>(root: ParentNode, selector: string) => {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} not found`);
  return el;
};
