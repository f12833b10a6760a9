/** The chat module's public surface: what other modules (tickets, retention, analytics) may call. */
export { chatRoutes } from './chat.routes.ts';
export { handOverThread, type ExchangeTurn } from './hand-over-thread.ts';
export { purgeBotThreads } from './purge-threads.ts';
export { deflectionFigures, type DeflectionRow } from './chat.repo.ts';
