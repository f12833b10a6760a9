import { softmax, type SparseVector } from './text-features.ts';

/** `weight` scales the example's gradient (1 by default). */
export type TrainingExample<L extends string> = { features: SparseVector; label: L; weight?: number };

export type SoftmaxOptions = { epochs?: number; learningRate?: number; l2?: number; seed?: number };

/** A trained model's state: its features in index order, weights (features × labels) and biases. */
export type SoftmaxSnapshot = { labels: string[]; features: string[]; weights: Float64Array; bias: Float64Array };

/** A small deterministic PRNG (mulberry32): the same data always trains the same model. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Multinomial logistic regression over sparse features, trained by SGD with L2 (lazily applied as a
 * global scale so each step only touches the example's features). A few hundred examples train in
 * tens of milliseconds, which is why the server trains it at start-up instead of shipping weights.
 */
export class SoftmaxRegression<L extends string> {
  private readonly index = new Map<string, number>();
  private weights: Float64Array = new Float64Array(0);
  private bias: Float64Array;
  private scale = 1;

  constructor(readonly labels: readonly L[]) {
    this.bias = new Float64Array(labels.length);
  }

  train(examples: TrainingExample<L>[], options: SoftmaxOptions = {}): this {
    for (const _ of this.steps(examples, options, Infinity));
    return this;
  }

  /**
   * The same training, giving the event loop back every `chunk` examples: a server retrains in the
   * background (the learning loop) without holding requests for the second or two it takes. The model
   * is the same, bit for bit, as train()'s.
   */
  async trainInBackground(examples: TrainingExample<L>[], options: SoftmaxOptions = {}, chunk = 200): Promise<this> {
    for (const _ of this.steps(examples, options, chunk)) await new Promise((resolve) => setImmediate(resolve));
    return this;
  }

  private *steps(examples: TrainingExample<L>[], options: SoftmaxOptions, chunk: number): Generator<void> {
    const { epochs = 30, learningRate = 0.5, l2 = 1e-4, seed = 42 } = options;
    const k = this.labels.length;
    for (const ex of examples) for (const f of ex.features.keys()) if (!this.index.has(f)) this.index.set(f, this.index.size);
    this.weights = new Float64Array(this.index.size * k);
    this.bias = new Float64Array(k);
    this.scale = 1;
    const labelIndex = new Map(this.labels.map((l, i) => [l, i]));
    // Interned once: the epochs then touch typed arrays only, no string hashing.
    const compiled = examples.map((ex) => {
      const y = labelIndex.get(ex.label);
      if (y === undefined) throw new Error(`unknown label ${ex.label}`);
      return {
        idx: Int32Array.from(ex.features.keys(), (f) => this.index.get(f)! * k),
        val: Float64Array.from(ex.features.values()),
        y,
        w: ex.weight ?? 1,
      };
    });
    const order = compiled.map((_, i) => i);
    const random = rng(seed);
    const scores = new Float64Array(k);
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
      }
      for (const n of order) {
        const { idx, val, y, w } = compiled[n]!;
        const lr = learningRate / (1 + step * 1e-3);
        step++;
        let max = -Infinity;
        for (let c = 0; c < k; c++) {
          let s = this.bias[c]!;
          for (let f = 0; f < idx.length; f++) s += this.weights[idx[f]! + c]! * val[f]! * this.scale;
          scores[c] = s;
          if (s > max) max = s;
        }
        let total = 0;
        for (let c = 0; c < k; c++) {
          scores[c] = Math.exp(scores[c]! - max);
          total += scores[c]!;
        }
        this.scale *= 1 - lr * l2;
        for (let c = 0; c < k; c++) {
          const g = (scores[c]! / total - (c === y ? 1 : 0)) * w;
          if (g === 0) continue;
          const step = (lr * g) / this.scale;
          for (let f = 0; f < idx.length; f++) this.weights[idx[f]! + c]! -= step * val[f]!;
          this.bias[c]! -= lr * g;
        }
        if (this.scale < 1e-6) this.rescale();
        if (step % chunk === 0) yield;
      }
    }
    this.rescale();
  }

  /** The trained state, to be stored and given back to fromSnapshot (bot-model-file.ts). */
  snapshot(): SoftmaxSnapshot {
    this.rescale();
    return { labels: [...this.labels], features: [...this.index.keys()], weights: this.weights, bias: this.bias };
  }

  static fromSnapshot<L extends string>(s: SoftmaxSnapshot): SoftmaxRegression<L> {
    const model = new SoftmaxRegression<L>(s.labels as L[]);
    s.features.forEach((f, i) => model.index.set(f, i));
    model.weights = s.weights;
    model.bias = s.bias;
    return model;
  }

  private rescale() {
    for (let i = 0; i < this.weights.length; i++) this.weights[i]! *= this.scale;
    this.scale = 1;
  }

  private rawScores(features: SparseVector): number[] {
    const k = this.labels.length;
    const scores = Array.from(this.bias);
    for (const [f, x] of features) {
      const i = this.index.get(f);
      if (i === undefined) continue;
      const base = i * k;
      for (let c = 0; c < k; c++) scores[c]! += this.weights[base + c]! * x * this.scale;
    }
    return scores;
  }

  /** Probability of each label, in the order of `labels`. */
  predictProba(features: SparseVector): number[] {
    return softmax(this.rawScores(features));
  }

  /** Whether the feature occurred in training. */
  knows(feature: string): boolean {
    return this.index.has(feature);
  }

  /** How much of the input the model has seen in training (0..1, by feature weight). */
  coverage(features: SparseVector): number {
    let seen = 0;
    let total = 0;
    for (const [f, x] of features) {
      total += x * x;
      if (this.index.has(f)) seen += x * x;
    }
    return total === 0 ? 0 : seen / total;
  }
}
