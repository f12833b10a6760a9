import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Intent } from '../../../contracts/tickets.ts';
import { BotModel, FaqKeyModel, getBotModel } from './bot-model.ts';
import { LanguageDetector } from './language-detector.ts';
import { SoftmaxRegression } from './softmax-regression.ts';

/**
 * The shipped model as the build trained it (`npm start` builds, see scripts/build.ts): a start loads it
 * in milliseconds instead of training for seconds. A build artefact, never committed.
 */
export const BOT_MODEL_FILE = fileURLToPath(new URL('../../../../dist/server/bot-model.bin', import.meta.url));

const FORMAT = 1;
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Everything the trained model depends on: the bot's code and labelled data, the FAQ content and the
 * contracts naming the intents and languages. A stored model whose fingerprint differs is ignored (and
 * the server trains as before), so an edited source can never be answered by a stale model.
 */
const INPUTS = ['src/server/modules/bot', 'src/server/modules/faq/content', 'src/server/modules/faq/faq-content.ts', 'src/contracts/common.ts', 'src/contracts/tickets.ts'];

function inputFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!path.endsWith('.ts') && !path.endsWith('.json')) {
    return readdirSync(full, { withFileTypes: true })
      .filter((e) => !e.name.endsWith('.test.ts'))
      .flatMap((e) => (e.isDirectory() ? inputFiles(`${path}/${e.name}`) : e.isFile() ? [`${path}/${e.name}`] : []))
      .sort();
  }
  return [path];
}

/** SHA-256 over the model's inputs (paths and contents): about 300 KB, read in a few milliseconds. */
export function botModelFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(inputFiles)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The file: a 4-byte length, a JSON header (fingerprint, labels, feature names, array lengths), zero
 * padding to 8 bytes, then every array's float64 bytes back to back (exact: the stored model answers
 * bit for bit as the trained one, and nothing is parsed from text but the names).
 */
type Header = {
  format: number;
  fingerprint: string;
  grams: string[];
  intent: { labels: string[]; features: string[] };
  faqKeys: { labels: string[]; features: string[]; idfFeatures: string[]; idfFloor: number };
  /** Length of each stored array, in the order of ARRAYS. */
  lengths: number[];
};
const ARRAYS = ['languageLogProbs', 'intentWeights', 'intentBias', 'faqWeights', 'faqBias', 'idfValues'] as const;
const FLOAT_BYTES = 8;

/** Trains (or takes) the shipped model and writes it with its inputs' fingerprint. */
export async function writeBotModelFile(file = BOT_MODEL_FILE, model: BotModel = getBotModel()): Promise<void> {
  const bytes = encodeBotModel(model, botModelFingerprint());
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, bytes);
  await rename(`${file}.partial`, file);
}

/** The model as bytes (the file's format), stamped with `fingerprint`; also how learned models are kept in the database. */
export function encodeBotModel(model: BotModel, fingerprint: string): Buffer {
  const language = model.language.snapshot();
  const intent = model.intent.snapshot();
  const faq = model.faqKeys.regression.snapshot();
  const arrays: Record<(typeof ARRAYS)[number], Float64Array> = {
    languageLogProbs: language.logProbs,
    intentWeights: intent.weights,
    intentBias: intent.bias,
    faqWeights: faq.weights,
    faqBias: faq.bias,
    idfValues: Float64Array.from(model.faqKeys.idf.values()),
  };
  const header: Header = {
    format: FORMAT,
    fingerprint,
    grams: language.grams,
    intent: { labels: intent.labels, features: intent.features },
    faqKeys: { labels: faq.labels, features: faq.features, idfFeatures: [...model.faqKeys.idf.keys()], idfFloor: model.faqKeys.idfFloor },
    lengths: ARRAYS.map((name) => arrays[name].length),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const padding = Buffer.alloc((FLOAT_BYTES - ((4 + json.length) % FLOAT_BYTES)) % FLOAT_BYTES);
  const data = ARRAYS.map((name) => Buffer.from(arrays[name].buffer, arrays[name].byteOffset, arrays[name].byteLength));
  return Buffer.concat([length, json, padding, ...data]);
}

/**
 * The stored model, or null when there is none, it is unreadable, or it was trained from other inputs
 * than the current ones (then the caller trains as before).
 */
export async function readBotModelFile(file = BOT_MODEL_FILE): Promise<BotModel | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  return decodeBotModel(bytes, botModelFingerprint());
}

/**
 * The stored model, checked against the current inputs but not decoded yet: a function that reads and
 * decodes it (the start hands it to useStoredBotModel), or null when there is none, it is unreadable, or
 * it was trained from other inputs. Only the file's first bytes are read at start-up: the fingerprint
 * leads the header (encodeBotModel writes `format` then `fingerprint` first), so the 4.7 MB of names and
 * weights wait for the model's first use (read then, and checked again: a file rebuilt meanwhile for
 * other inputs is ignored, and the model trained).
 */
export async function readStoredBotModel(file = BOT_MODEL_FILE): Promise<(() => BotModel | null) | null> {
  const lead = Buffer.alloc(4 + 160);
  let read: number;
  let size: number;
  // Synchronous: 164 bytes, where each asynchronous step would wait for a thread of libuv's pool, which
  // a busy machine makes slow to come by (seconds, bench/startup.bench.ts).
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, lead, 0, lead.length, 0);
      ({ size } = fstatSync(fd));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  // The whole header must be there (a file cut short is damaged); the arrays are checked when decoded.
  if (read < 4 || size < 4 + lead.readUInt32LE(0)) return null;
  const fingerprint = botModelFingerprint();
  const header = /^\{"format":(\d+),"fingerprint":"([0-9a-f]+)"/.exec(lead.toString('utf8', 4, read));
  if (!header || Number(header[1]) !== FORMAT || header[2] !== fingerprint) return null;
  return () => {
    try {
      return decodeBotModel(readFileSync(file), fingerprint);
    } catch {
      return null;
    }
  };
}

/** The model encodeBotModel wrote, or null when the bytes are damaged or stamped with another fingerprint. */
export function decodeBotModel(bytes: Buffer, fingerprint: string): BotModel | null {
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + bytes.readUInt32LE(0))) as Header;
  } catch {
    return null;
  }
  if (header.format !== FORMAT || header.fingerprint !== fingerprint) return null;
  const jsonEnd = 4 + bytes.readUInt32LE(0);
  let offset = jsonEnd + ((FLOAT_BYTES - (jsonEnd % FLOAT_BYTES)) % FLOAT_BYTES);
  // One aligned copy of the float section; each array is a view into it.
  const floats = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length);
  offset = 0;
  const arrays = Object.fromEntries(
    ARRAYS.map((name, i) => {
      const view = new Float64Array(floats, offset, header.lengths[i]);
      offset += view.byteLength;
      return [name, view];
    }),
  ) as Record<(typeof ARRAYS)[number], Float64Array>;
  const idf = new Map(header.faqKeys.idfFeatures.map((f, i) => [f, arrays.idfValues[i]!]));
  return new BotModel(
    LanguageDetector.fromSnapshot({ grams: header.grams, logProbs: arrays.languageLogProbs }),
    SoftmaxRegression.fromSnapshot<Intent>({ ...header.intent, weights: arrays.intentWeights, bias: arrays.intentBias }),
    new FaqKeyModel(
      SoftmaxRegression.fromSnapshot<string>({ ...header.faqKeys, weights: arrays.faqWeights, bias: arrays.faqBias }),
      idf,
      header.faqKeys.idfFloor,
    ),
  );
}
