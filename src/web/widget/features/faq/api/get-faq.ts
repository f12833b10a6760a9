import type { Lang } from '../../../../../contracts/common.ts';
import type { FaqEntry, FaqListResponse } from '../../../../../contracts/faq.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

export type { FaqEntry };

/** Seed §3: the FAQ is kept in sessionStorage under this key (one entry per language). */
export const FAQ_STORAGE_KEY = 'faq-content';
export const faqKey = (lang: Lang) => [FAQ_STORAGE_KEY, lang] as const;

function readCache(): Partial<Record<Lang, FaqEntry[]>> {
  try {
    const v: unknown = JSON.parse(globalThis.sessionStorage?.getItem(FAQ_STORAGE_KEY) ?? '{}');
    return v && typeof v === 'object' ? (v as Partial<Record<Lang, FaqEntry[]>>) : {};
  } catch {
    return {};
  }
}

/** The FAQ in one language: from sessionStorage when this session already fetched it, else from the API. */
export async function getFaq(lang: Lang, signal?: AbortSignal): Promise<FaqEntry[]> {
  const cached = readCache()[lang];
  if (Array.isArray(cached)) return cached;
  const { entries } = await apiRequest<FaqListResponse>('/api/faq', { query: { lang }, signal, retry: false });
  try {
    globalThis.sessionStorage?.setItem(FAQ_STORAGE_KEY, JSON.stringify({ ...readCache(), [lang]: entries }));
  } catch {
    // storage full or blocked: the query cache still holds it for this page
  }
  return entries;
}
