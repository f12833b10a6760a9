// The embedded database's thread when the server runs from its TypeScript sources (tsx, the tests): a
// worker does not inherit the process's module hooks, so it registers tsx's itself.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
