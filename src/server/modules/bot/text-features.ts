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

/** Words that turn what follows around ("pas bon", "not good", "niet lekker"). */
const NEGATIONS = new Set([
  'pas', 'jamais', 'rien', 'personne', 'aucun', 'aucune', 'sans',
  'not', 'no', 'never', 'nothing', 'nobody', 'didn', 'don', 'doesn', 'isn', 'wasn', 'won', 'haven', 'hasn', 'cant', 'dont', 'didnt', 'wont', 'without',
  'niet', 'geen', 'nooit', 'niks', 'niets', 'niemand', 'zonder',
]);

export type FeatureParams = {
  charWeight: number;
  charMin: number;
  charMax: number;
  bigrams: number;
  prefix: number;
  prefixWeight: number;
  /** Weight of `n:<word>` for the two words after a negation (0: off). */
  negation: number;
  /** Weight of `?` / `!` / emoji / length-bucket features (0: off). */
  shape: number;
};

/**
 * Word unigrams, word bigrams and character 3- to 5-grams inside padded words: the n-grams carry
 * typos, inflections and compound words ("bezorgkosten" shares "bezorg" with "bezorging").
 * Knobs chosen by cross-validation on the dev split (docs/chatbot.md); the FAQ-key model uses
 * `FEATURE_PARAMS`, the intent model `INTENT_FEATURE_PARAMS` (bot-model.ts).
 */
export const FEATURE_PARAMS: FeatureParams = {
  charWeight: 1, charMin: 3, charMax: 5, bigrams: 1, prefix: 5, prefixWeight: 2, negation: 0, shape: 0,
};

function lengthBucket(n: number) {
  return n <= 1 ? '1' : n <= 2 ? '2' : n <= 4 ? '3-4' : n <= 8 ? '5-8' : '9+';
}

export function textFeatures(text: string, params: FeatureParams = FEATURE_PARAMS): SparseVector {
  const { charWeight, charMin, charMax, bigrams, prefix, prefixWeight, negation, shape } = params;
  const tokens = tokenize(text);
  const v: SparseVector = new Map();
  let negated = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    add(v, `w:${t}`);
    if (negation > 0) {
      if (negated > 0) {
        add(v, `n:${t}`, negation);
        negated--;
      }
      if (NEGATIONS.has(t)) negated = 2;
    }
    if (prefix > 0 && t.length > prefix) add(v, `p:${t.slice(0, prefix)}`, prefixWeight);
    if (i > 0 && bigrams > 0) add(v, `b:${tokens[i - 1]}_${t}`, bigrams);
    if (t.length > 2 && !t.startsWith('#')) {
      const padded = ` ${t} `;
      for (let n = charMin; n <= charMax; n++) {
        for (let j = 0; j + n <= padded.length; j++) add(v, `c:${padded.slice(j, j + n)}`, charWeight);
      }
    }
  }
  if (shape > 0) {
    if (text.includes('?')) add(v, 's:?', shape);
    if (text.includes('!')) add(v, 's:!', shape);
    add(v, `s:len${lengthBucket(tokens.length)}`, shape);
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
