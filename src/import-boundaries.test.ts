import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The module graph runs one way, and this test keeps it so (docs/architecture.md, "Boundaries"). It reads
// every import of src/ (relative specifiers: `import … from`, `export … from`, `import('…')`) and checks:
// - server: no cycle between modules (src/server/modules/<name>/), nor between files; a module imports another only through
//   its public surface, `index.ts`; nothing imports another module's `*.repo.ts`; the shared floors
//   (http, db, events, config.ts, i18n.ts, logger.ts…) import no module;
// - web: no cycle between the top-level folders of src/web; an app (dashboard, debug, widget…) imports no
//   other app (what they share lives in src/web/lib or src/web/staff); the shared folders import no app;
// - contracts import neither the server nor the web.
// Tests and test support may reach further (a test drives the whole app), except into a repository.

const SRC = fileURLToPath(new URL('./', import.meta.url));
const SERVER = join(SRC, 'server');
const MODULES = join(SERVER, 'modules');
const WEB = join(SRC, 'web');
const CONTRACTS = join(SRC, 'contracts');

/** Server code every module may use, which therefore uses no module. */
const SERVER_SHARED = ['http', 'db', 'events', 'config.ts', 'i18n.ts', 'logger.ts', 'escalation-windows.ts'].map((p) => join(SERVER, p));
/** Web folders the apps share, which therefore import no app. */
const WEB_SHARED = new Set(['lib', 'staff']);

const rel = (path: string) => relative(SRC, path).split('\\').join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Test files and test support: they may drive the whole app. */
const isTestCode = (file: string) =>
  /\.(test|e2e\.test|stories)\.tsx?$/.test(file) || /[\\/](test|testing|stories)[\\/]/.test(file) || /[\\/]fixtures\.ts$/.test(file);

type Edge = { from: string; to: string; line: number };

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const line = text.slice(0, m.index).split('\n').length;
      edges.push({ from: file, to: resolve(dirname(file), spec.replace(/\?.*$/, '')), line });
    }
  }
  return edges;
}

const files = [...sourceFiles(SERVER), ...sourceFiles(WEB), ...sourceFiles(CONTRACTS)];
const edges = files.flatMap(importsOf);
const at = (e: Edge) => `${rel(e.from)}:${e.line} -> ${rel(e.to)}`;

/** The server module a file belongs to, or null. */
function serverModule(path: string): string | null {
  const r = relative(MODULES, path);
  if (r.startsWith('..') || r === '' || !r.includes('/')) return null;
  return r.split('/')[0]!;
}

/** The top-level folder of src/web a file belongs to, or null. */
function webFolder(path: string): string | null {
  const r = relative(WEB, path);
  if (r.startsWith('..') || !r.includes('/')) return null;
  return r.split('/')[0]!;
}

/**
 * The cycles of a directed graph: its strongly connected components of more than one node (Tarjan),
 * each given as one closed path through the component, with the import behind each step.
 */
function cycles(graph: Map<string, Map<string, Edge>>): string[] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const components: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return components.map((component) => {
    // One closed walk from the component's first node back to it, by breadth-first search inside it.
    const inside = new Set(component);
    const start = component[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | null = null;
    while (queue.length && !closing) {
      const v = queue.shift()!;
      for (const w of graph.get(v)?.keys() ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          closing = v;
          break;
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = closing!; v !== start; v = previous.get(v)!) path.splice(1, 0, v);
    path.push(start);
    const steps = path.slice(0, -1).map((v, i) => `${v} -> ${path[i + 1]} (${at(graph.get(v)!.get(path[i + 1]!)!)})`);
    return `cycle among [${component.join(', ')}]:\n    ${steps.join('\n    ')}`;
  });
}

function graphOf(pairs: Array<[string, string, Edge]>): Map<string, Map<string, Edge>> {
  const graph = new Map<string, Map<string, Edge>>();
  for (const [a, b, e] of pairs) {
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, e);
  }
  return graph;
}

describe('server module boundaries', () => {
  const serverEdges = edges.filter((e) => e.from.startsWith(SERVER + '/'));

  it('finds the modules and their imports (the scan itself works)', () => {
    expect(existsSync(join(MODULES, 'tickets', 'index.ts'))).toBe(true);
    expect(serverEdges.filter((e) => serverModule(e.to) === 'tickets').length).toBeGreaterThan(10);
  });

  it('has no cycle between modules', () => {
    const pairs = serverEdges
      .filter((e) => !isTestCode(e.from))
      .flatMap((e): Array<[string, string, Edge]> => {
        const a = serverModule(e.from);
        const b = serverModule(e.to);
        return a && b ? [[a, b, e]] : [];
      });
    expect(cycles(graphOf(pairs))).toEqual([]);
  });

  it('has no cycle between files either (agents.repo.ts and session-agent.ts once imported each other)', () => {
    const pairs = serverEdges
      .filter((e) => !isTestCode(e.from) && !isTestCode(e.to))
      .map((e): [string, string, Edge] => [rel(e.from), rel(e.to), e]);
    expect(cycles(graphOf(pairs))).toEqual([]);
  });

  it('reaches another module only through its index.ts', () => {
    const bad = serverEdges.filter((e) => {
      const a = serverModule(e.from);
      const b = serverModule(e.to);
      return a !== null && b !== null && a !== b && rel(e.to) !== `server/modules/${b}/index.ts`;
    });
    expect(bad.map(at)).toEqual([]);
  });

  it("imports no other module's repository, from anywhere", () => {
    const bad = edges.filter((e) => {
      const b = serverModule(e.to);
      return b !== null && serverModule(e.from) !== b && /\.repo\.ts$/.test(e.to);
    });
    expect(bad.map(at)).toEqual([]);
  });

  it('keeps the shared floors (http, db, events, config.ts…) free of any module', () => {
    const bad = serverEdges.filter(
      (e) =>
        !isTestCode(e.from) &&
        SERVER_SHARED.some((shared) => e.from === shared || e.from.startsWith(shared + '/')) &&
        serverModule(e.to) !== null,
    );
    expect(bad.map(at)).toEqual([]);
  });
});

describe('web boundaries', () => {
  const webEdges = edges.filter((e) => e.from.startsWith(WEB + '/') && !isTestCode(e.from));
  const pairs = webEdges.flatMap((e): Array<[string, string, Edge]> => {
    const a = webFolder(e.from);
    const b = webFolder(e.to);
    return a && b && a !== b ? [[a, b, e]] : [];
  });

  it('has no cycle between the top-level folders of src/web', () => {
    expect(cycles(graphOf(pairs))).toEqual([]);
  });

  it('keeps each app to itself: what two apps share lives in src/web/lib or src/web/staff', () => {
    const bad = pairs.filter(([a, b]) => !WEB_SHARED.has(a) && !WEB_SHARED.has(b)).map(([, , e]) => at(e));
    expect(bad).toEqual([]);
  });

  it('keeps the shared folders free of any app', () => {
    const bad = pairs.filter(([a, b]) => WEB_SHARED.has(a) && !WEB_SHARED.has(b)).map(([, , e]) => at(e));
    expect(bad).toEqual([]);
  });
});

describe('contracts', () => {
  it('import neither the server nor the web', () => {
    const bad = edges.filter((e) => e.from.startsWith(CONTRACTS + '/') && !e.to.startsWith(CONTRACTS + '/'));
    expect(bad.map(at)).toEqual([]);
  });
});
