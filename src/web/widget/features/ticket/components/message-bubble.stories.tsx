import { noop, storyMessages } from '../../../stories/fixtures.ts';
import { MessageBubble } from './message-bubble.tsx';

export default { title: 'Widget/MessageBubble', component: MessageBubble, args: { onRetry: noop, onDiscard: noop } };

export const FromAgent = { args: { message: storyMessages[2] }, parameters: { expectKeys: ['ticket.author.agent'] } };
export const FromBot = { args: { message: storyMessages[1] }, parameters: { expectKeys: ['ticket.author.bot'] } };
export const Mine = { args: { message: storyMessages[0] }, parameters: { expectKeys: ['ticket.author.user'] } };
export const Pending = { args: { message: storyMessages[3] }, parameters: { expectKeys: ['ticket.pending'] } };
export const Failed = {
  args: { message: { ...storyMessages[3], state: 'failed', error: 'Too many messages.' } },
  parameters: { expectKeys: ['ticket.failed', 'ticket.discard'] },
};
