// The web module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { WEB_DIST_DIR } from './web.routes.ts';
