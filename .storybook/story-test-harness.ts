/// <reference types="vite/client" />
import { setProjectAnnotations } from '@storybook/preact-vite';
import type { ComponentType } from 'preact';
import { act } from 'preact/test-utils';
import { composeStory } from 'storybook/preview-api';
import type { Lang } from '../src/contracts/common.ts';
import { isLang, WEB_LANGS } from '../src/web/lib/i18n.ts';
import preview from './preview.tsx';

/**
 * Renders stories in a test exactly as Storybook does: Storybook's own composeStory with this folder's
 * preview (language global, i18n namespace and style decorators, the i18n loader), the story's and the
 * meta's decorators, args and render, mounted by the Preact renderer. A story that throws, or whose
 * decorators or fixtures no longer fit its component, fails here as it would in Storybook.
 */
setProjectAnnotations(preview);

/** `expectKeys`: keys whose translation the rendered story must show, in its app's namespace. */
type StoryParameters = { expectKeys?: string[] };
type Meta = { title: string; component?: ComponentType<any>; args?: Record<string, unknown>; parameters?: StoryParameters };
export type StoryModule = { default: Meta } & Record<string, unknown>;

export type StoryCase = { label: string; file: string; title: string; name: string; lang: Lang; expectKeys: string[]; mount: () => Promise<Mounted> };
export type Mounted = { container: HTMLElement; text: string; unmount: () => Promise<void> };

/** One case per story and language: the three languages, or the one a story pins with `globals.lang`. */
export function storyCases(modules: Record<string, StoryModule>): StoryCase[] {
  return Object.entries(modules).flatMap(([file, mod]) =>
    Object.entries(mod)
      .filter(([name]) => name !== 'default' && name !== '__namedExportsOrder')
      .flatMap(([name, value]) => {
        const story = value as { globals?: { lang?: unknown }; parameters?: StoryParameters };
        const pinned = story.globals?.lang;
        const langs: Lang[] = isLang(pinned) ? [pinned] : [...WEB_LANGS];
        const expectKeys = story.parameters?.expectKeys ?? mod.default.parameters?.expectKeys ?? [];
        return langs.map((lang) => ({
          label: `${mod.default.title} / ${name} (${lang}) in ${file}`,
          file,
          title: mod.default.title,
          name,
          lang,
          expectKeys,
          mount: () => mountStory(composeStory(value as never, mod.default as never, { initialGlobals: { lang } }, undefined, name)),
        }));
      }),
  );
}

/** Lets effects run and the in-memory sockets' frames arrive (both are a few ticks away). */
const SETTLE_ROUNDS = 3;

async function mountStory(story: ReturnType<typeof composeStory>): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.append(container);
  await act(async () => {
    await story.run({ canvasElement: container } as never);
  });
  for (let i = 0; i < SETTLE_ROUNDS; i++)
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  return {
    container,
    text: container.textContent ?? '',
    unmount: async () => {
      // The next story's run() unmounts this one (Storybook's cleanups); the container goes with it.
      await act(async () => {
        const { render } = await import('preact');
        render(null, container);
      });
      container.remove();
    },
  };
}

/** Every key of a translation file, plural suffixes folded (`total_one` → `total`). */
export function leafKeys(obj: object, prefix = ''): string[] {
  return Object.entries(obj)
    .flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
    .map((k) => k.replace(/_(zero|one|other)$/, ''));
}
