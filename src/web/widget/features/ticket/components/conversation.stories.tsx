import { noop, storyMessages } from '../../../stories/fixtures.ts';
import { Conversation } from './conversation.tsx';

export default { title: 'Widget/Conversation', component: Conversation, args: { messages: storyMessages, onRetry: noop, onDiscard: noop }, parameters: { expectKeys: ['ticket.author.agent'] } };

export const Default = { args: {} };
export const WithOlderMessages = { args: { hasOlder: true, onLoadOlder: noop }, parameters: { expectKeys: ['ticket.load_older'] } };
export const AgentTyping = { args: { agentTyping: true }, parameters: { expectKeys: ['ticket.agent_typing'] } };
