import { ApiError } from '../http.ts';
import { useTranslation } from '../i18n.ts';
import { EmptyState, ErrorState, Loading } from './states.tsx';

const noop = () => {};

export default { title: 'Dashboard/Components/States', component: Loading, parameters: { expectKeys: ['common.loading'] } };

export const Loaded = { args: {} };
export const NetworkError = {
  render: () => <ErrorState error={new ApiError({ status: 0, code: 'network', message: 'offline' })} onRetry={noop} />,
  parameters: { expectKeys: ['errors.network', 'common.retry'] },
};
export const NotFound = {
  render: () => <ErrorState error={new ApiError({ status: 404, code: 'not_found', message: 'not found' })} />,
  parameters: { expectKeys: ['errors.notFound'] },
};
export const Forbidden = {
  render: () => <ErrorState error={new ApiError({ status: 403, code: 'forbidden', message: 'forbidden' })} />,
  parameters: { expectKeys: ['errors.forbidden'] },
};
export const ServerError = { render: () => <ErrorState error={new Error('boom')} onRetry={noop} />, parameters: { expectKeys: ['errors.generic'] } };

function EmptyQueue() {
  const { t } = useTranslation();
  return <EmptyState>{t('queue.empty')}</EmptyState>;
}
export const Empty = { render: () => <EmptyQueue />, parameters: { expectKeys: ['queue.empty'] } };
