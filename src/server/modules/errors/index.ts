// The errors module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { countErrors } from './errors.repo.ts';
export { CLIENT_ERRORS_PER_ADDRESS_PER_HOUR, CLIENT_STACK_STORED_MAX_CHARS, purgeErrorLogs } from './errors.service.ts';
