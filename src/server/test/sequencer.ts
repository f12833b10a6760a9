import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order test files start in (every project shares the workers, see vitest.config.ts). Vitest's own
 * order (slowest first when a previous run's durations are cached, else largest first) within each
 * project, and then:
 * - the browser journeys (project e2e), each a long file, spread evenly through the first two thirds of
 *   the queue instead of all at the start or all at the end: one journey at a time runs beside the unit
 *   tests, and none is left to run alone at the end;
 * - the server tests of the two databases interleaved, so that the PostgreSQL server and the embedded
 *   database's CPU work overlap.
 */
export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const journeys = sorted.filter((f) => f.project.name === 'e2e');
    const pglite = sorted.filter((f) => f.project.name === 'pglite');
    const postgres = sorted.filter((f) => f.project.name === 'postgres');
    const others = sorted.filter((f) => !['e2e', 'pglite', 'postgres'].includes(f.project.name));
    const rest: TestSpecification[] = [];
    for (let i = 0; i < Math.max(pglite.length, postgres.length); i++) {
      if (pglite[i]) rest.push(pglite[i]!);
      if (postgres[i]) rest.push(postgres[i]!);
    }
    rest.push(...others);
    if (journeys.length === 0) return rest;
    const gap = Math.max(1, Math.floor((rest.length * 2) / 3 / journeys.length));
    const out: TestSpecification[] = [];
    let j = 0;
    rest.forEach((spec, i) => {
      if (i % gap === 0 && j < journeys.length) out.push(journeys[j++]!);
      out.push(spec);
    });
    while (j < journeys.length) out.push(journeys[j++]!);
    return out;
  }
}
