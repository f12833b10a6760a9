import type { BotModelStatus } from '../../../../contracts/bot-learning.ts';
import { LANGS, type Lang } from '../../../../contracts/common.ts';
import type { Db } from '../../../db/index.ts';
import { BUS_CHANNEL_SQL, BUS_EVENTS, publishEvent, type BusEvent } from '../../../events/bus.ts';
import { getAdminFaq, type FaqContentEntry } from '../../faq/index.ts';
import { botModelFingerprint, decodeBotModel, encodeBotModel } from '../bot-model-file.ts';
import { getBotModel, retrainInBackground, shippedTrainingData, useBotModel, type BotTrainingData } from '../bot-model.ts';
import { findModel, insertModel, latestModelId, latestTaughtAt, listTaught } from './learning.repo.ts';

/** How many training texts one taught question counts as (intent `faq` and its FAQ entry). */
const TAUGHT_WEIGHT = 3;

type Log = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

/**
 * The learning loop's model side, one per instance. When an admin teaches the bot a question, the
 * instance that took the request retrains the intent and FAQ-key models in the background (the event
 * loop keeps serving), answers with the new model at once, stores it in bot_models and announces it on
 * the bus; every other instance loads it from there. A start (and a lost bus connection) loads the
 * newest stored model of the shipped fingerprint, so nothing taught is lost to a restart.
 */
export class BotLearning {
  private version = '0';
  private examples = 0;
  private trainedAt: Date | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private unlisten: (() => Promise<void>) | null = null;
  private fingerprint: string | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Log,
  ) {}

  status(): BotModelStatus {
    return { version: Number(this.version), examples: this.examples, training: this.running !== null, trained_at: this.trainedAt?.toISOString() ?? null };
  }

  private shippedFingerprint(): string {
    this.fingerprint ??= botModelFingerprint();
    return this.fingerprint;
  }

  /** Listens for other instances' models and starts loading the newest stored one (once the server is ready). */
  async start(): Promise<void> {
    const { rows } = await this.db.query<{ channel: string }>(`SELECT ${BUS_CHANNEL_SQL} AS channel`);
    this.unlisten = await this.db.listen(
      rows[0]!.channel,
      (payload) => this.onBusEvent(payload),
      () => void this.catchUp(),
    );
    // Not awaited: a start must not wait for a few megabytes of model (restart time counts); the shipped
    // model answers until the learned one is loaded, a moment later.
    this.starting = this.catchUp();
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    await this.starting;
    await this.running;
  }

  private onBusEvent(payload: string): void {
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch {
      return;
    }
    if (event.type === BUS_EVENTS.botModelUpdated && event.modelId !== this.version) void this.catchUp();
  }

  /** Loads the newest stored model when it is not the one in use; retrains when taught questions are newer than it. */
  async catchUp(): Promise<void> {
    try {
      const latest = await latestModelId(this.db, this.shippedFingerprint());
      if (latest && latest.id !== this.version) await this.load(latest.id);
      const taughtAt = await latestTaughtAt(this.db);
      if (taughtAt && (!latest || latest.taught_through < taughtAt)) void this.retrain();
    } catch (err) {
      this.log.warn({ err }, 'bot: could not load the latest learned model');
    }
  }

  private async load(id: string): Promise<void> {
    const row = await findModel(this.db, id);
    if (!row) return;
    const model = decodeBotModel(Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength), this.shippedFingerprint());
    if (!model) return;
    useBotModel(model);
    this.version = id;
    this.examples = row.examples;
    this.trainedAt = row.created_at;
    this.log.info({ modelId: id, examples: row.examples }, 'bot: learned model loaded');
  }

  /**
   * Retrains from the shipped data, the FAQ as stored now and every taught question. One run at a time:
   * a teach during a run makes it run once more with everything.
   */
  retrain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.retrainOnce();
        } while (this.again);
      } catch (err) {
        this.log.warn({ err }, 'bot: retraining failed; the previous model keeps answering');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async retrainOnce(): Promise<void> {
    const started = performance.now();
    const [data, taught] = await Promise.all([trainingData(this.db), listTaught(this.db)]);
    const model = await retrainInBackground(getBotModel(), data);
    const taughtThrough = taught.reduce((max, t) => (t.taught_at > max ? t.taught_at : max), new Date(0));
    const bytes = encodeBotModel(model, this.shippedFingerprint());
    const id = await this.db.transaction(async (tx) => {
      const modelId = await insertModel(tx, { fingerprint: this.shippedFingerprint(), taughtThrough, examples: taught.length, bytes });
      await publishEvent(tx, { type: BUS_EVENTS.botModelUpdated, modelId });
      return modelId;
    });
    useBotModel(model);
    this.version = id;
    this.examples = taught.length;
    this.trainedAt = new Date();
    this.log.info({ modelId: id, examples: taught.length, ms: Math.round(performance.now() - started) }, 'bot: retrained with taught questions');
  }
}

/** The shipped training data with the FAQ as stored now (admins' edits and new entries) and the taught questions. */
async function trainingData(db: Db): Promise<BotTrainingData> {
  const shipped = shippedTrainingData();
  const [{ entries }, taught] = await Promise.all([getAdminFaq({ db }), listTaught(db)]);
  const faqContent = Object.fromEntries(LANGS.map((lang) => [lang, [] as FaqContentEntry[]])) as Record<Lang, FaqContentEntry[]>;
  for (const e of entries) faqContent[e.lang].push({ key: e.key, title: e.title, answer: e.answer, phrasings: e.phrasings });
  // An admin's deliberate answer weighs more than one training text among thousands: each taught
  // question counts TAUGHT_WEIGHT times, so that the entry clears the "good enough" bar for it.
  const questions = taught.flatMap((t) => Array.from({ length: TAUGHT_WEIGHT }, () => ({ text: t.text, lang: t.lang, key: t.key })));
  return {
    ...shipped,
    faqContent,
    extraMessages: [...(shipped.extraMessages ?? []), ...questions.map((q) => ({ text: q.text, lang: q.lang, intent: 'faq' as const }))],
    extraFaqQuestions: [...(shipped.extraFaqQuestions ?? []), ...questions],
  };
}
