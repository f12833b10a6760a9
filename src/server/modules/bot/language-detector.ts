import { LANGS, type Lang } from '../../../contracts/common.ts';
import { foldText, softmax } from './text-features.ts';

/**
 * Function words of each language: short texts ("is het open?", "c'est où ?") are mostly made of them,
 * and they are rare in the other two languages. Added to the training text so even a two-word
 * message carries a signal.
 */
export const STOPWORD_CUES: Record<Lang, string> = {
  fr: `le la les un une des de du d' l' et est c'est je j'ai tu il elle on nous vous ils ce cette ces que qui quoi pas ne n'est
    mon ma mes ton ta votre vos notre pour avec sur dans au aux par chez mais ou où comment pourquoi quand combien
    merci bonjour bonsoir salut oui non svp s'il vous plaît y a-t-il est-ce ça cela très trop bien encore déjà toujours
    fait faire peux pouvez voudrais veux avez êtes suis sont été aussi alors donc parce puis peut-être heure heures`,
  en: `the a an and is are was were i i'm i've you your he she it it's we they my our their this that these those to of
    in on at for with from by do does did don't can can't could would should will what where when how why which who
    please thanks thank hello hi yes no not any some there here have has had been be just still already also very
    too much many get got want need about after before hour hours`,
  nl: `de het een en is zijn was waren ik je jij u ge gij hij zij we wij jullie mijn uw ons onze dit dat deze die naar van in
    op aan te voor met bij door om niet geen wat waar wanneer hoe waarom welke wie alstublieft aub bedankt dank hallo
    ja nee kan kunnen kun mag moet wil graag ook nog al er eens maar dus toch wel heel veel al uur uren mij me`,
};

type Counts = { total: number; grams: Map<string, number> };

function grams(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase().replace(/[’`´]/g, "'");
  for (const word of lower.match(/[\p{L}']+/gu) ?? []) {
    const padded = ` ${word} `;
    for (let n = 1; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        const g = padded.slice(i, i + n);
        if (g !== ' ') out.push(g);
      }
    }
    out.push(`w:${foldText(word)}`, `w:${foldText(word)}`);
  }
  return out;
}

export type LanguageGuess = { lang: Lang; confidence: number; words: number };

/** A trained detector's state: each gram's log-probabilities, LANGS.length per gram in LANGS order. */
export type LanguageDetectorSnapshot = { grams: string[]; logProbs: Float64Array };

/**
 * Multinomial naive Bayes over character 1- to 4-grams and whole words. Naive Bayes suits language
 * identification: it learns from little text and degrades gracefully on two-word messages.
 */
export class LanguageDetector {
  private readonly counts = new Map<Lang, Counts>(LANGS.map((l) => [l, { total: 0, grams: new Map() }]));
  private vocabulary = new Set<string>();
  private readonly logProbs = new Map<string, Float64Array>();

  constructor(private readonly alpha = 0.1) {}

  train(samples: { text: string; lang: Lang }[]): this {
    for (const s of samples) {
      const c = this.counts.get(s.lang)!;
      for (const g of grams(s.text)) {
        c.grams.set(g, (c.grams.get(g) ?? 0) + 1);
        c.total++;
        this.vocabulary.add(g);
      }
    }
    this.compile();
    return this;
  }

  /**
   * Log-probabilities per gram for the three languages, computed once: detection then costs one map
   * lookup per gram instead of one per gram and language (it runs on every chat question).
   */
  private compile() {
    const v = this.vocabulary.size;
    this.logProbs.clear();
    for (const g of this.vocabulary) {
      this.logProbs.set(
        g,
        Float64Array.from(LANGS, (lang) => {
          const c = this.counts.get(lang)!;
          return Math.log(((c.grams.get(g) ?? 0) + this.alpha) / (c.total + this.alpha * v));
        }),
      );
    }
  }

  /** The trained state (detection needs the log-probabilities only), for fromSnapshot. */
  snapshot(): LanguageDetectorSnapshot {
    const grams = [...this.logProbs.keys()];
    const logProbs = new Float64Array(grams.length * LANGS.length);
    grams.forEach((g, i) => logProbs.set(this.logProbs.get(g)!, i * LANGS.length));
    return { grams, logProbs };
  }

  static fromSnapshot(s: LanguageDetectorSnapshot): LanguageDetector {
    const detector = new LanguageDetector();
    s.grams.forEach((g, i) => detector.logProbs.set(g, s.logProbs.subarray(i * LANGS.length, (i + 1) * LANGS.length)));
    return detector;
  }

  /** Log-likelihood of the text under each language, in LANGS order. */
  private scores(text: string): { scores: number[]; words: number } {
    const gs = grams(text);
    const scores = LANGS.map(() => 0);
    let wordGrams = 0;
    for (const g of gs) {
      if (g.startsWith('w:')) wordGrams++;
      const lp = this.logProbs.get(g);
      if (!lp) continue;
      for (let i = 0; i < scores.length; i++) scores[i]! += lp[i]!;
    }
    return { scores, words: wordGrams / 2 };
  }

  /**
   * The most likely language. `confidence` is the posterior scaled down for texts under three words,
   * whose naive-Bayes posteriors are overconfident. When the guess is not confident and the caller
   * knows the browser's language (`fallback`), that language wins: "menu" or "ok" say nothing.
   */
  detect(text: string, fallback?: Lang, confident = 0.9): LanguageGuess {
    const { scores, words } = this.scores(text);
    const probs = softmax(scores);
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
    const confidence = probs[best]! * Math.min(1, words / 3);
    if (fallback && confidence < confident) return { lang: fallback, confidence, words };
    return { lang: LANGS[best]!, confidence, words };
  }
}
