// The debug module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { serveDebugPage } from './debug-page.ts';
