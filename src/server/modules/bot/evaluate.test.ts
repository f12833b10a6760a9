import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { seedFaq } from '../faq/index.ts';
import { readCustomers, readLabelled, readTrainingOnly } from './bot-model.ts';
import { evaluateCustomersHeldOut, evaluateHeldOut } from './evaluate.ts';

const ctx = useTestApp();
beforeAll(async () => {
  await seedFaq(ctx.testDb.db);
});

// Measured on 2026-11-25 (npm run eval:bot, after the intent/ranking work of the afternoon, run once):
// language 97.4%, intent 92.9% (macro-F1 0.928), FAQ hit@1 91.7%, hit@3 98.6% (126 messages: one is
// 0.8 points; 72 questions: one is 1.4 points). The floors sit about two texts under, so a regression fails.
const FLOORS = { language: 0.95, intent: 0.9, macroF1: 0.9, hit1: 0.89, hit3: 0.95 };

describe('chatbot quality on the held-out split', () => {
  it('keeps the labelled sets at their documented size', () => {
    const dev = readLabelled('dev');
    const heldOut = readLabelled('heldout');
    expect(dev.messages.length + heldOut.messages.length).toBeGreaterThanOrEqual(300);
    expect(dev.faqQuestions.length + heldOut.faqQuestions.length).toBeGreaterThanOrEqual(150);
    const devTexts = new Set([...dev.messages, ...dev.faqQuestions].map((x) => x.text.toLowerCase()));
    expect([...heldOut.messages, ...heldOut.faqQuestions].filter((x) => devTexts.has(x.text.toLowerCase()))).toEqual([]);
  });

  it('keeps the training-only phrasings apart from both labelled splits', () => {
    const { extraMessages, extraFaqQuestions } = readTrainingOnly();
    expect(extraMessages.length).toBeGreaterThanOrEqual(300);
    expect(extraFaqQuestions.length).toBeGreaterThanOrEqual(100);
    const labelled = [readLabelled('dev'), readLabelled('heldout')].flatMap((s) => [...s.messages, ...s.faqQuestions]);
    const labelledTexts = new Set(labelled.map((x) => x.text.toLowerCase()));
    expect([...extraMessages, ...extraFaqQuestions].filter((x) => labelledTexts.has(x.text.toLowerCase()))).toEqual([]);
  });

  it('stays above the accuracy floors', { timeout: 300_000 }, async () => {
    const report = await evaluateHeldOut(ctx.testDb.db);
    expect(report.language.accuracy).toBeGreaterThanOrEqual(FLOORS.language);
    expect(report.intent.accuracy).toBeGreaterThanOrEqual(FLOORS.intent);
    expect(report.intent.macroF1).toBeGreaterThanOrEqual(FLOORS.macroF1);
    expect(report.faq.hit1).toBeGreaterThanOrEqual(FLOORS.hit1);
    expect(report.faq.hit3).toBeGreaterThanOrEqual(FLOORS.hit3);
  });

  // Issue 20: the customers' held-out set (labelled/customers.heldout.jsonl, 305 texts as customers type,
  // 137 of them FAQ questions). Measured on 2026-12-02 after the change, run once: language 99.3%,
  // intent 92.1% (before: 76.1%), FAQ hit@1 / hit@3 among the answers the API returns 97.1% / 98.5%
  // (before: see docs/chatbot.md). Floors: the aims, about two texts under the figures.
  it('keeps the customers held-out set out of every training file', () => {
    const heldOut = readCustomers('heldout');
    const training = [readLabelled('dev'), readLabelled('heldout')].flatMap((s) => [...s.messages, ...s.faqQuestions]);
    const { extraMessages, extraFaqQuestions } = readTrainingOnly();
    const trained = new Set([...training, ...extraMessages, ...extraFaqQuestions].map((x) => x.text.toLowerCase()));
    expect(heldOut.messages.length).toBeGreaterThanOrEqual(300);
    expect(heldOut.messages.filter((m) => trained.has(m.text.toLowerCase()))).toEqual([]);
  });

  it('meets the issue-20 aims on the customers held-out set', { timeout: 300_000 }, async () => {
    const report = await evaluateCustomersHeldOut(ctx.testDb.db);
    expect(report.language.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(report.intent.accuracy).toBeGreaterThanOrEqual(0.88);
    expect(report.faq.served.hit1).toBeGreaterThanOrEqual(0.93);
    expect(report.faq.served.hit3).toBeGreaterThanOrEqual(0.95);
  });
});
