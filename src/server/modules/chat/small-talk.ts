import type { Lang } from '../../../contracts/common.ts';
import type { Intent } from '../../../contracts/tickets.ts';

/**
 * Greetings, thanks, goodbyes and small talk get a short reply of their own, before the intent model:
 * they are not questions, and answering them "not found" or "this needs a person" (what the FAQ search
 * gives a text with no topic) is what a customer notices first. Only a text that is nothing but small
 * talk is caught here ("hello, is it halal?" goes on to the model and the FAQ). The replies are
 * `chat:small_talk.<kind>` in locales/{fr,en,nl}/chat.json.
 */
export const SMALL_TALK_KINDS = ['greeting', 'thanks', 'goodbye', 'how_are_you', 'who_are_you'] as const;
export type SmallTalkKind = (typeof SMALL_TALK_KINDS)[number];

/** Lower case, no accents, no punctuation or emoji, single spaces. */
export function foldSmallTalk(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

type Rule = { kind: SmallTalkKind; lang: Lang | null; pattern: RegExp };

// Words that may follow a greeting or a thank-you without making it a question.
const TAIL = '(?: (?:there|all|everyone|team|tasty food|tastyfood|a tous|tout le monde|l equipe|allemaal|iedereen|het team|bot|robot|beaucoup|bien|a lot|so much|very much|heel erg|wel|veel|hoor|vriendelijk))*';
const rule = (kind: SmallTalkKind, lang: Lang | null, words: string): Rule => ({ kind, lang, pattern: new RegExp(`^(?:${words})${TAIL}$`) });

// `lang: null`: the word is used in more than one of our languages; the reply is in the UI language.
const RULES: Rule[] = [
  rule('greeting', 'fr', 'bonjour|bonsoir|salut|coucou|bjr|slt|re bonjour'),
  rule('greeting', 'en', 'hello|hi|hey|good morning|good afternoon|good evening|hiya|howdy'),
  rule('greeting', 'nl', 'hallo|hoi|hey hallo|goedemorgen|goedemiddag|goedenavond|dag|hallo daar|hai'),
  rule('greeting', null, 'yo|hallo hallo'),
  rule('thanks', 'fr', 'merci|merci bien|merci beaucoup|je vous remercie|je te remercie|super merci|top merci|parfait merci|ok merci|d accord merci'),
  rule('thanks', 'en', 'thanks|thank you|thx|ty|cheers|great thanks|ok thanks|perfect thanks|thank you so much'),
  rule('thanks', 'nl', 'dank je|dank u|dankjewel|dankuwel|bedankt|dank je wel|dank u wel|merci hoor|top bedankt|ok bedankt|super bedankt'),
  rule('goodbye', 'fr', 'au revoir|bonne journee|bonne soiree|a bientot|a plus|bye bye'),
  rule('goodbye', 'en', 'bye|goodbye|see you|see ya|have a nice day|have a good day'),
  rule('goodbye', 'nl', 'doei|dag dag|tot ziens|tot later|fijne dag|nog een fijne dag'),
  rule('how_are_you', 'fr', 'ca va|comment ca va|comment allez vous|tu vas bien|vous allez bien|bonjour ca va|salut ca va'),
  rule('how_are_you', 'en', 'how are you|how are you doing|how s it going|hi how are you|hello how are you'),
  rule('how_are_you', 'nl', 'hoe gaat het|hoe gaat het met je|hoe is het|alles goed|hallo hoe gaat het|hoi hoe gaat het'),
  rule('who_are_you', 'fr', 'qui es tu|qui etes vous|t es un robot|tu es un robot|vous etes un robot|c est un robot|es tu un bot|tu es un bot'),
  rule('who_are_you', 'en', 'who are you|are you a bot|are you a robot|are you human|are you a real person|is this a bot'),
  rule('who_are_you', 'nl', 'wie ben jij|wie ben je|ben je een bot|ben jij een robot|ben je een robot|ben je een mens|is dit een bot'),
];

export type SmallTalk = { kind: SmallTalkKind; lang: Lang | null };

/** The small talk a text is, and the language it is written in when that is clear; null for anything else. */
export function matchSmallTalk(text: string): SmallTalk | null {
  const folded = foldSmallTalk(text);
  if (!folded || folded.length > 60) return null;
  for (const r of RULES) if (r.pattern.test(folded)) return { kind: r.kind, lang: r.lang };
  return null;
}

/** The intent a small-talk text is recorded with (the seed's intents have no "greeting"). */
export const SMALL_TALK_INTENT: Record<SmallTalkKind, Intent> = {
  greeting: 'general_inquiry',
  thanks: 'compliment',
  goodbye: 'compliment',
  how_are_you: 'general_inquiry',
  who_are_you: 'general_inquiry',
};
