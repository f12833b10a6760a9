/**
 * Turning short customer texts into sparse features. Everything is computed from the text alone:
 * no dictionary, no download.
 */

const DIACRITICS = /\p{M}+/gu;
const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;
const DIGITS = /^\p{N}+$/u;

/** Lower case, accents removed (customers type "delai" as often as "délai"), apostrophes unified. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(/[’`´]/g, "'");
}

/** Word tokens of folded text; a run of digits becomes `#num` (order numbers, amounts, hours). */
export function tokenize(text: string): string[] {
  const folded = foldText(text);
  const out: string[] = [];
  for (const m of folded.matchAll(TOKEN)) out.push(DIGITS.test(m[0]) ? '#num' : m[0]);
  return out;
}

export type SparseVector = Map<string, number>;

function add(v: SparseVector, f: string, w = 1) {
  v.set(f, (v.get(f) ?? 0) + w);
}

/**
 * Word unigrams, word bigrams and character 3- to 5-grams inside padded words: the n-grams carry
 * typos, inflections and compound words ("bezorgkosten" shares "bezorg" with "bezorging").
 */
/** Feature knobs, chosen by cross-validation on the dev split (docs/chatbot.md). */
export const FEATURE_PARAMS = { charWeight: 1, charMin: 3, charMax: 5, bigrams: 1, prefix: 5, prefixWeight: 2 };

export function textFeatures(text: string): SparseVector {
  const { charWeight, charMin, charMax, bigrams, prefix, prefixWeight } = FEATURE_PARAMS;
  const tokens = tokenize(text);
  const v: SparseVector = new Map();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    add(v, `w:${t}`);
    if (prefix > 0 && t.length > prefix) add(v, `p:${t.slice(0, prefix)}`, prefixWeight);
    if (i > 0 && bigrams > 0) add(v, `b:${tokens[i - 1]}_${t}`, bigrams);
    if (t.length > 2 && !t.startsWith('#')) {
      const padded = ` ${t} `;
      for (let n = charMin; n <= charMax; n++) {
        for (let j = 0; j + n <= padded.length; j++) add(v, `c:${padded.slice(j, j + n)}`, charWeight);
      }
    }
  }
  if (tokens.length === 0) add(v, 'empty');
  return l2normalize(v);
}

export function l2normalize(v: SparseVector): SparseVector {
  let sum = 0;
  for (const x of v.values()) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

/** Softmax of raw scores, stable for large values. */
export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}
