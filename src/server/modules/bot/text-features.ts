/**
 * Turning short customer texts into sparse features. Everything is computed from the text and the
 * Snowball stemmers of @orama/stemmers (French, Dutch, English: small pure-JS files, nothing downloaded).
 */
import { stemmer as stemDutch } from '@orama/stemmers/dutch';
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemFrench } from '@orama/stemmers/french';

const DIACRITICS = /\p{M}+/gu;
const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;
const DIGITS = /^\p{N}+$/u;

/** Lower case, accents removed (customers type "delai" as often as "délai"), apostrophes unified. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(/[’`´]/g, "'");
}

/**
 * How customers write some words on a phone (SMS-speak, contractions, Flemish and Belgian French
 * forms), folded to the words of the FAQ and of most training texts. Only whole tokens are replaced;
 * ambiguous short forms ("r", "n", "y") are left alone. A Map, not an object: a customer's word such as
 * "constructor" must not find Object.prototype's members.
 */
const SPOKEN_FORMS = new Map<string, string>(Object.entries({
  // French
  cest: 'c est', ct: 'c etait', jsp: 'je sais pas', jpp: 'je peux pas', jpeux: 'je peux', jveux: 'je veux', jsuis: 'je suis',
  chui: 'je suis', jai: 'j ai', ya: 'y a', pk: 'pourquoi', pq: 'pourquoi', pkoi: 'pourquoi', pcq: 'parce que', bcp: 'beaucoup',
  slt: 'salut', bjr: 'bonjour', bsr: 'bonsoir', cmd: 'commande', cb: 'combien', cmb: 'combien', kel: 'quel', kelle: 'quelle',
  koi: 'quoi', ki: 'qui', qd: 'quand', vs: 'vous', ds: 'dans', tt: 'tout', tjs: 'toujours', tjrs: 'toujours',
  pr: 'pour', dc: 'donc', mm: 'meme', auj: 'aujourd hui', rdv: 'rendez vous', resto: 'restaurant', appli: 'application',
  dsl: 'desole', stp: 'svp', nn: 'non', ouais: 'oui', wsh: 'wesh', tkt: 't inquiete', hallal: 'halal',
  // English
  ur: 'your', pls: 'please', plz: 'please', thx: 'thanks', thnx: 'thanks', ty: 'thank you', tmrw: 'tomorrow',
  '2moro': 'tomorrow', '2morrow': 'tomorrow', whens: 'when is', wheres: 'where is', whats: 'what is',
  im: 'i am', ive: 'i have', idk: 'i don t know', cuz: 'because', coz: 'because', ppl: 'people', msg: 'message', b4: 'before',
  gonna: 'going to', wanna: 'want to', gimme: 'give me', dunno: 'don t know', cant: 'can not', didnt: 'didn t',
  doesnt: 'doesn t', isnt: 'isn t', wont: 'won t', hows: 'how is', whos: 'who is', thats: 'that is', theres: 'there is',
  // Dutch and Flemish
  nie: 'niet', da: 'dat', wa: 'wat', ge: 'je', gij: 'jij', nen: 'een', tis: 'het is', kheb: 'ik heb',
  kben: 'ik ben', kga: 'ik ga', kzou: 'ik zou', kwil: 'ik wil', mss: 'misschien', efkes: 'even', ff: 'even',
  goesting: 'zin', wreed: 'heel', nr: 'nummer', bestelnr: 'bestelnummer', rijsel: 'lille',
}));

const EMOJI_CLASSES: [RegExp, string][] = [
  [/[😍🥰😘❤♥💕💯👌👍🔥😋🤤🙌⭐🌟😊🙂😀😃😄👑]/u, 'e:pos'],
  [/[😡🤬👎😤🙄😒😩😫🤢🤮😠💩😞😢😭😕]/u, 'e:neg'],
  [/[😂🤣😅😆]/u, 'e:laugh'],
];

/** Word tokens of folded text; a run of digits becomes `#num` (order numbers, amounts, hours). */
export function tokenize(text: string, normalize = true): string[] {
  const folded = foldText(text);
  const out: string[] = [];
  for (const m of folded.matchAll(TOKEN)) {
    if (DIGITS.test(m[0])) {
      out.push('#num');
      continue;
    }
    if (!normalize) {
      out.push(m[0]);
      continue;
    }
    // "merciiii", "nooon", "svppp": a letter typed three times or more counts once.
    const word = m[0].replace(/(\p{L})\1{2,}/gu, '$1');
    const spoken = SPOKEN_FORMS.get(word);
    if (spoken) out.push(...spoken.split(' '));
    else out.push(word);
  }
  return out;
}

const stemCache = new Map<string, string[]>();
const STEM_CACHE_MAX = 50_000;

/** Stems of a word by the three Snowball stemmers (the text's language is not known here): 1 to 3 distinct. */
function stems(word: string): string[] {
  let out = stemCache.get(word);
  if (!out) {
    out = [...new Set([stemFrench(word), stemDutch(word), stemEnglish(word)])];
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, out);
  }
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
  /** SMS-speak and spoken forms folded, repeated letters squeezed (0: off, 1: on). */
  normalize: number;
  /** Weight of `st:<stem>` features, the Snowball stems of each word (0: off). */
  stems: number;
  /** Weight of emoji sentiment classes `e:pos` / `e:neg` / `e:laugh` (0: off). */
  emoji: number;
  /** Weight of `f:<word>` features for the words of the last question of a text of several sentences (0: off). */
  focus: number;
};

/**
 * Word unigrams, word bigrams and character 3- to 5-grams inside padded words: the n-grams carry
 * typos, inflections and compound words ("bezorgkosten" shares "bezorg" with "bezorging").
 * Knobs chosen by cross-validation on the dev split (docs/chatbot.md); the FAQ-key model uses
 * `FEATURE_PARAMS`, the intent model `INTENT_FEATURE_PARAMS` (bot-model.ts).
 */
export const FEATURE_PARAMS: FeatureParams = {
  charWeight: 1, charMin: 3, charMax: 5, bigrams: 1, prefix: 5, prefixWeight: 2, negation: 0, shape: 0,
  normalize: 0, stems: 0, emoji: 0, focus: 0,
};

/** The last sentence with a question mark, when the text has several sentences (long messages ask at the end or in the middle). */
function questionSentence(text: string): string | null {
  const sentences = text.split(/(?<=[.!?…])\s+|\n+/u).filter((x) => x.trim().length > 0);
  if (sentences.length < 2) return null;
  for (let i = sentences.length - 1; i >= 0; i--) if (sentences[i]!.includes('?')) return sentences[i]!;
  return null;
}

function lengthBucket(n: number) {
  return n <= 1 ? '1' : n <= 2 ? '2' : n <= 4 ? '3-4' : n <= 8 ? '5-8' : '9+';
}

export function textFeatures(text: string, params: FeatureParams = FEATURE_PARAMS): SparseVector {
  const { charWeight, charMin, charMax, bigrams, prefix, prefixWeight, negation, shape } = params;
  const tokens = tokenize(text, params.normalize > 0);
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
  if (params.stems > 0) {
    for (const t of tokens) if (t.length > 3 && !t.startsWith('#')) for (const st of stems(t)) add(v, `st:${st}`, params.stems);
  }
  if (params.emoji > 0) {
    for (const [re, cls] of EMOJI_CLASSES) if (re.test(text)) add(v, cls, params.emoji);
  }
  if (params.focus > 0) {
    const question = questionSentence(text);
    if (question) for (const t of tokenize(question, params.normalize > 0)) add(v, `f:${t}`, params.focus);
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
