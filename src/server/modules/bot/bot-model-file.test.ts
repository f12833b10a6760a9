import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBotModel, hasBotModel, readLabelled, useBotModel, useStoredBotModel, type BotModel } from './bot-model.ts';
import { botModelFingerprint, readBotModelFile, readStoredBotModel, writeBotModelFile } from './bot-model-file.ts';

describe('the chatbot model stored by the build', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tf-bot-model-'));
    file = join(dir, 'bot-model.bin');
    await writeBotModelFile(file);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every held-out question exactly as the model trained at start-up', async () => {
    const stored = (await readBotModelFile(file))!;
    expect(stored).not.toBeNull();
    const trained = getBotModel();
    const { messages, faqQuestions } = readLabelled('heldout');
    for (const text of [...messages, ...faqQuestions].map((x) => x.text)) {
      expect(stored.detectLanguage(text)).toEqual(trained.detectLanguage(text));
      expect(stored.classifyIntent(text)).toEqual(trained.classifyIntent(text));
      expect(stored.faqKeyScores(text)).toEqual(trained.faqKeyScores(text));
    }
  });

  it('is ignored (the server trains) when it was built from other inputs, is damaged or is missing', async () => {
    const bytes = await readFile(file);
    const fingerprint = botModelFingerprint();
    const other = Buffer.from(bytes.toString('latin1').replace(fingerprint, '0'.repeat(fingerprint.length)), 'latin1');
    await writeFile(join(dir, 'other.bin'), other);
    expect(await readBotModelFile(join(dir, 'other.bin'))).toBeNull();
    await writeFile(join(dir, 'damaged.bin'), bytes.subarray(0, 100));
    expect(await readBotModelFile(join(dir, 'damaged.bin'))).toBeNull();
    expect(await readBotModelFile(join(dir, 'missing.bin'))).toBeNull();
    for (const name of ['other.bin', 'damaged.bin', 'missing.bin']) expect(await readStoredBotModel(join(dir, name))).toBeNull();
  });

  it('is checked at start-up but decoded only at its first use, then answers as the trained model', async () => {
    const trained = getBotModel();
    const decodeStored = (await readStoredBotModel(file))!;
    expect(decodeStored).not.toBeNull();
    let decoded = 0;
    useStoredBotModel(() => {
      decoded += 1;
      return decodeStored();
    });
    try {
      expect(hasBotModel()).toBe(true);
      expect(decoded).toBe(0);
      const first: BotModel = getBotModel();
      expect(decoded).toBe(1);
      expect(first).not.toBe(trained);
      expect(getBotModel()).toBe(first);
      expect(decoded).toBe(1);
      for (const { text } of readLabelled('heldout').messages.slice(0, 50)) {
        expect(first.classifyIntent(text)).toEqual(trained.classifyIntent(text));
      }
    } finally {
      useBotModel(trained);
    }
    // Decoding 4.7 MB and classifying synchronously: minutes when the machine is loaded (load 35).
  }, 600_000);
});
