import type { AccessRecordEntry, PrivacySettings } from '../../../../../contracts/privacy.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { privacyKeys } from '../api/access-record.ts';
import { PrivacyPage } from './privacy-page.tsx';

export const storyPrivacySettings: PrivacySettings = {
  closedTicketsDays: 730,
  botThreadsDays: 30,
  sentEmailsDays: 90,
  errorLogsDays: 90,
  clientMetricsDays: 30,
  accessRecordDays: 365,
  requestLinkHours: 24,
  privacyUrl: null,
};

export const storyAccessRecord: AccessRecordEntry[] = [
  {
    id: 12,
    at: '2026-12-02T09:30:00.000Z',
    actor: 'agent',
    agentId: '5b0e7a8c-3c1f-4d2e-9f10-2a3b4c5d6e7f',
    agentEmail: 'alice@tastyfood.example',
    action: 'export',
    subject: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ticketId: null,
    details: null,
  },
  {
    id: 11,
    at: '2026-12-02T09:00:00.000Z',
    actor: 'agent',
    agentId: '5b0e7a8c-3c1f-4d2e-9f10-2a3b4c5d6e7f',
    agentEmail: 'alice@tastyfood.example',
    action: 'view',
    subject: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ticketId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    details: null,
  },
  {
    id: 10,
    at: '2026-12-01T18:00:00.000Z',
    actor: 'customer',
    agentId: null,
    agentEmail: null,
    action: 'request',
    subject: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ticketId: null,
    details: null,
  },
];

export default {
  title: 'Dashboard/Admin/PrivacyPage',
  component: PrivacyPage,
  decorators: [
    withQueryData((client) => {
      client.setQueryData(privacyKeys.settings, storyPrivacySettings);
      client.setQueryData([...privacyKeys.record, ''], { entries: storyAccessRecord });
    }),
  ],
  parameters: { expectKeys: ['privacy.title', 'privacy.data', 'privacy.erase', 'privacy.hold', 'privacy.record', 'privacy.action.export'] },
};

export const Default = { args: {} };
