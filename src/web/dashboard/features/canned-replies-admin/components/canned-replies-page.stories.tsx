import type { CannedReply } from '../../../../../contracts/agents.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { cannedAdminKeys } from '../api/canned-replies.ts';
import { CannedRepliesPage } from './canned-replies-page.tsx';

const at = '2026-12-01T10:00:00.000Z';
export const storyCannedReplies: CannedReply[] = [
  { id: '3f2c1d7e-8a64-4d6b-9a55-0c1e2f3a4b01', lang: 'fr', shortcut: 'retard', title: 'Commande en retard', body: 'Bonjour, votre commande {{order.number}} a un peu de retard. {{agent.name}}', created_at: at, updated_at: at },
  { id: '3f2c1d7e-8a64-4d6b-9a55-0c1e2f3a4b02', lang: 'en', shortcut: 'late', title: 'Late order', body: 'Hello, your order {{order.number}} is running late. {{agent.name}}', created_at: at, updated_at: at },
  { id: '3f2c1d7e-8a64-4d6b-9a55-0c1e2f3a4b03', lang: 'en', shortcut: 'halal', title: 'Halal', body: 'Everything we serve is 100% halal.', created_at: at, updated_at: at },
  { id: '3f2c1d7e-8a64-4d6b-9a55-0c1e2f3a4b04', lang: 'nl', shortcut: 'laat', title: 'Late bestelling', body: 'Hallo, je bestelling {{order.number}} is wat later. {{agent.name}}', created_at: at, updated_at: at },
];

export default {
  title: 'Dashboard/Admin/CannedRepliesPage',
  component: CannedRepliesPage,
  decorators: [withQueryData((client) => client.setQueryData(cannedAdminKeys.all, { replies: storyCannedReplies }))],
  parameters: { expectKeys: ['cannedAdmin.title', 'cannedAdmin.new', 'cannedAdmin.shortcut', 'cannedAdmin.body', 'cannedAdmin.edit', 'languages.nl'] },
};

export const Default = { args: {} };

/** A language without any reply yet. */
export const Empty = {
  args: {},
  decorators: [withQueryData((client) => client.setQueryData(cannedAdminKeys.all, { replies: [] }))],
  parameters: { expectKeys: ['cannedAdmin.empty'] },
};
