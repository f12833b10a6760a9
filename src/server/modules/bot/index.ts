// The bot module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { botRoutes } from './bot.routes.ts';
export { askBot, suggestReplies } from './bot.service.ts';
export { classifyIntent, detectConfidentLanguage, getBotModel, useBotModel, type BotModel } from './bot-model.ts';
export { learningRoutes } from './learning/learning.routes.ts';
export { noteUnanswered, noteUnhelpful } from './learning/learning.service.ts';
export { maskText } from './learning/mask-text.ts';
