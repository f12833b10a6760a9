// The metrics module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { summarizeRecentClientMetrics } from './metrics.service.ts';
export { runRetentionOnce } from './retention.ts';
