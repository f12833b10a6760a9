import '../lib/zod-without-eval.ts';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from 'preact';
import { initDashboardI18n } from '../staff/i18n.ts';
import '../staff/styles.css';
import { reportClientErrors } from '../lib/error-reporter.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { DebugApp } from './app/debug-app.tsx';
import './debug.css';

reportClientErrors('debug');

const queryClient = createQueryClient();

void initDashboardI18n().then(() => {
  render(
    <QueryClientProvider client={queryClient}>
      <DebugApp />
    </QueryClientProvider>,
    document.getElementById('app')!,
  );
});
