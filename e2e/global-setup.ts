import type { TestProject } from 'vitest/node';
import testTemplates from '../src/server/test/global-setup.ts';
import { buildWeb } from './support/server.ts';

/**
 * Once per e2e run: what the unit tests' global setup makes (the migrated database templates, the
 * chatbot model) and the production web build, side by side.
 */
export default async function setup(project: TestProject) {
  const [teardown] = await Promise.all([testTemplates(project), buildWeb()]);
  return teardown;
}
