import type { FastifyPluginAsync } from 'fastify';
import { getBotModel, hasBotModel } from './bot-model.ts';

/**
 * The bot has no route of its own here: the chat (modules/chat) answers customers, and the agents'
 * suggested replies are a ticket's (modules/tickets/agent.routes.ts), ranked by suggestReplies.
 */
export const botRoutes: FastifyPluginAsync = async (app) => {
  // Trained here, while the server starts, so the first customer does not wait for it (the build's
  // stored model, when the start found one, is only decoded at its first use: tens of milliseconds).
  if (!hasBotModel()) {
    app.log.info('chatbot model: none installed, training it now');
    getBotModel();
  }
};
