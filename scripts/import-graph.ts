/**
 * The import graph of Joule's sources, and the two rules `npm run lint` checks on it beside
 * ESLint: no import cycles (static, type-only and dynamic imports all count: a cycle is a design
 * knot whatever loads it), and no barrel `index.ts` in core or the jobs (a module's users import
 * the file that defines what they need, so a worker loads only what its task uses).
 *
 *   node --import tsx scripts/import-graph.ts src-main src-renderer
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|vue|mts)$/;

function walk(dir: string, into: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, into);
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) into.push(path.resolve(full));
  }
  return into;
}

/** The specifiers a file imports: static, re-exports, side-effect and dynamic `import()`. */
function specifiers(file: string): string[] {
  let text = readFileSync(file, 'utf8');
  if (file.endsWith('.vue')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.vue`, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** File -> the files it imports, for every source file under `roots`. */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const files = roots.flatMap((r) => (existsSync(r) ? walk(r, []) : []));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiers(file).map((s) => resolveSpecifier(file, s)).filter((t): t is string => t !== null && known.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every strongly connected component with more than one file (or a file importing itself): Tarjan's algorithm. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** `index.ts` files under `src-main/core` or `src-main/jobs`: barrels, which Joule does not use. */
export function findBarrels(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph.keys()].filter((f) => path.basename(f) === 'index.ts' && /[\\/]src-main[\\/](core|jobs)[\\/]/.test(f));
}

/** The sentences `npm run lint` prints; empty when the tree is clean. */
export function importProblems(roots: readonly string[], cwd = process.cwd()): string[] {
  const graph = importGraph(roots);
  const rel = (f: string) => path.relative(cwd, f);
  return [
    ...findCycles(graph).map((c) => `Import cycle through ${c.length} files: ${c.map(rel).join(' -> ')}. Move the shared part to a file both can import.`),
    ...findBarrels(graph).map((f) => `${rel(f)} is a barrel; import the files that define the names instead.`),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const roots = process.argv.slice(2);
  const problems = importProblems(roots.length ? roots : ['src-main', 'src-renderer']);
  for (const p of problems) console.error(p);
  if (problems.length) process.exitCode = 1;
  else console.log(`No import cycles or barrels in ${roots.join(', ')}.`);
}
