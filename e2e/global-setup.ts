import type { TestProject } from 'vitest/node';
import pgliteTemplate from '../src/server/test/global-setup.ts';
import { buildWeb } from './support/server.ts';

/** Once per e2e run: the migrated database template (as the unit tests) and the production web build. */
export default async function setup(project: TestProject) {
  const teardown = await pgliteTemplate(project);
  buildWeb();
  return teardown;
}
