// The house's arrows point down: api/ and activities/ both stand on workflows/ and db/, never on
// each other, and no files import each other in a loop (type-only imports count: a circle of
// types still means two files that cannot be read apart). Read from the source itself, so a new
// import that breaks either rule fails here naming the files, whatever eslint is told.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', 'test']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

// Static and dynamic imports, re-exports and require(), type-only ones included.
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\1/g;

function resolveImport(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((file) => file.endsWith('.ts') && fs.existsSync(file)) ?? null;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(ROOT)) {
    // Comments name files too; only code imports.
    const code = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    const targets = new Set<string>();
    for (const match of code.matchAll(SPECIFIER)) {
      const target = resolveImport(file, match[2]);
      if (target) targets.add(path.relative(ROOT, target));
    }
    graph.set(path.relative(ROOT, file), [...targets].sort());
  }
  return graph;
}

// Tarjan's strongly connected components: every group of two files or more that reach each other.
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(members.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const topFolder = (file: string) => file.split(path.sep)[0];

describe('import graph', () => {
  const graph = importGraph();

  it('reads the source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join('api', 'app.ts'))?.length).toBeGreaterThan(0);
  });

  it('has no import between api/ and activities/', () => {
    const crossings = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) =>
          [`api activities`, `activities api`].includes(`${topFolder(file)} ${topFolder(target)}`),
        )
        .map((target) => `${file} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('has no import circle', () => {
    const described = circles(graph).map((members) => {
      const inside = new Set(members);
      const arrows = members.flatMap((file) =>
        graph
          .get(file)!
          .filter((target) => inside.has(target))
          .map((target) => `${file} -> ${target}`),
      );
      return `${members.length} files: ${arrows.join(', ')}`;
    });
    expect(described).toEqual([]);
  });
});
