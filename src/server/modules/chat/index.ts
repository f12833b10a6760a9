/** The chat module's public surface: what other modules (tickets, retention, analytics) may call. */
export { chatRoutes, type ChatRoutesOptions } from './chat.routes.ts';
export { answerWhileWaiting, type WaitingTicketPort } from './answer-while-waiting.ts';
export { handOverThread, type ExchangeTurn } from './hand-over-thread.ts';
export { purgeBotThreads } from './purge-threads.ts';
export { deflectionFigures, type DeflectionRow } from './chat.repo.ts';
