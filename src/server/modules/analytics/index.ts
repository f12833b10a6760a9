// The analytics module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { analyticsRoutes } from './analytics.routes.ts';
export { insertAnalyticsEvent, METRIC_TYPES, type AnalyticsEvent, type MetricType } from './analytics.repo.ts';
export { reportRange } from './analytics.service.ts';
export { medianFirstResponseSeconds } from './first-responses.repo.ts';
