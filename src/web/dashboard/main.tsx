import '../lib/zod-without-eval.ts';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from 'preact';
import { reportClientErrors } from '../lib/error-reporter.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { App } from './app/app.tsx';
import { initDashboardI18n } from '../staff/i18n.ts';
import '../staff/styles.css';

reportClientErrors('dashboard');

const queryClient = createQueryClient();

void initDashboardI18n().then(() => {
  render(
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>,
    document.getElementById('app')!,
  );
});
