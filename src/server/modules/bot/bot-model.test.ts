import { describe, expect, it } from 'vitest';
import { classifyIntent, detectConfidentLanguage, getBotModel } from './bot-model.ts';

describe('language detection', () => {
  it.each([
    ['fr', 'Bonjour, où est ma commande ?'],
    ['fr', 'vous livrez à Schaerbeek ?'],
    ['fr', 'c quoi vos horaires'],
    ['en', 'Where is my order?'],
    ['en', 'do you deliver to Ixelles'],
    ['en', 'is the chicken halal'],
    ['nl', 'Waar blijft mijn bestelling?'],
    ['nl', 'leveren jullie in Gent'],
    ['nl', 'is het vlees halal'],
  ])('recognises %s in "%s"', (lang, text) => {
    expect(getBotModel().detectLanguage(text).lang).toBe(lang);
  });

  it('is confident about a clear sentence and not about a single word', () => {
    expect(detectConfidentLanguage('Mijn bestelling was koud toen hij aankwam')).toBe('nl');
    expect(detectConfidentLanguage('Hallo')).toBeNull();
  });

  it('falls back on the browser language when a word says nothing clear', () => {
    expect(getBotModel().detectLanguage('menu', 'nl').lang).toBe('nl');
    expect(getBotModel().detectLanguage('menu', 'en').lang).toBe('en');
  });
});

describe('intent classification', () => {
  it.each([
    ['faq', 'Est-ce que votre viande est halal ?'],
    ['faq', 'What are your opening hours on Sunday?'],
    ['order_tracking', 'Où est ma commande ? Ça fait une heure'],
    ['order_tracking', 'where is my order, still waiting'],
    ['order_tracking', 'waar blijft mijn bestelling'],
    ['problem', "J'ai été débité deux fois pour ma commande"],
    ['problem', 'my drink is missing from the bag'],
    ['problem', 'de app crasht bij het betalen'],
    ['complaint', 'Le burger était froid et dégoûtant'],
    ['complaint', 'the staff were really rude'],
    ['compliment', 'Merci beaucoup, c’était délicieux !'],
    ['compliment', 'Bedankt, het was heerlijk'],
    ['general_inquiry', 'Vous recrutez des étudiants ?'],
    ['general_inquiry', 'I would like to open a franchise'],
  ])('classifies as %s: "%s"', (intent, text) => {
    expect(classifyIntent(text)).toBe(intent);
  });

  it.each(['???', '...', '🙂', 'qsdfqsdf'])('answers unknown for text without meaning: "%s"', (text) => {
    expect(classifyIntent(text)).toBe('unknown');
  });
});
