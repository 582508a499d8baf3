// The documentation's links and file names stay true: README.md, docs/*.md and bench/RESULTS.md.
// - every relative link points at a file or folder of the repository;
// - every `#anchor`, on the same page or another, is a heading of that page, slugged as GitHub
//   slugs headings (lowercase, spaces to '-', punctuation dropped but '-' and '_', '-1', '-2'...
//   for repeats);
// - every repository path written in backticks (`api/routes/invoices.ts`, `npx tsx bench/run.ts`,
//   `workflows/domain/`) exists, so the docs go stale loudly when code moves.
// Each problem is reported with its file and line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

// Folders that exist only on a machine that ran something (git-ignored): named in the docs, never checked.
const UNTRACKED = new Set(['.git', '.data', '.tools', '.cache', 'node_modules', 'test-artifacts']);

export function documentationFiles(root = ROOT): string[] {
  const docs = path.join(root, 'docs');
  const pages = fs.existsSync(docs)
    ? fs
        .readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => `docs/${name}`)
    : [];
  return ['README.md', ...pages, 'bench/RESULTS.md'];
}

/** GitHub's heading anchor: lowercase, punctuation dropped (but '-' and '_'), each space a '-'. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The visible text of a heading: inline code, emphasis and links reduced to their text. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '') // closing hashes
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, ''); // inline HTML
}

interface Line {
  number: number;
  text: string;
}

/** The lines outside fenced code blocks (``` or ~~~), with their numbers. */
function proseLines(source: string): Line[] {
  const lines: Line[] = [];
  let fence: string | null = null;
  source.split('\n').forEach((text, index) => {
    const marker = /^\s*(```|~~~)/.exec(text);
    if (marker) {
      if (fence === null) fence = marker[1]!;
      else if (marker[1] === fence) fence = null;
      return;
    }
    if (fence === null) lines.push({ number: index + 1, text });
  });
  return lines;
}

/** The lines inside shell code blocks (```sh, ```bash): the commands they show name files too. */
function shellLines(source: string): Line[] {
  const lines: Line[] = [];
  let fence: string | null = null;
  let shell = false;
  source.split('\n').forEach((text, index) => {
    const marker = /^\s*(```|~~~)\s*(\w*)/.exec(text);
    if (marker) {
      if (fence === null) {
        fence = marker[1]!;
        shell = ['sh', 'bash', 'shell', 'console'].includes(marker[2]!);
      } else if (marker[1] === fence) fence = null;
      return;
    }
    if (fence !== null && shell) lines.push({ number: index + 1, text });
  });
  return lines;
}

/** The anchors of a page's headings, repeats numbered as GitHub numbers them. */
export function headingAnchors(source: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(source)) {
    const heading = /^ {0,3}#{1,6}\s+(.*)$/.exec(text);
    if (!heading) continue;
    const slug = githubSlug(headingText(heading[1]!));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const { text } of proseLines(source)) {
    for (const match of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]!);
  }
  return anchors;
}

/** Inline code spans of a line, and the line with them blanked out (links inside code are not links). */
function splitCode(text: string): { code: string[]; prose: string } {
  const code: string[] = [];
  const prose = text.replace(/(`+)([\s\S]*?)\1/g, (_whole, _ticks: string, inner: string) => {
    code.push(inner.trim());
    return ' ';
  });
  return { code, prose };
}

/**
 * Code spans are joined line to line first: a span may wrap onto the next line in the source
 * (prettier keeps such lines as written), and its path must still be found.
 */
function codeSpans(lines: Line[]): { number: number; code: string }[] {
  const spans: { number: number; code: string }[] = [];
  let open: { number: number; parts: string[] } | null = null;
  for (const { number, text } of lines) {
    let rest = text;
    if (open) {
      const close = rest.indexOf('`');
      if (close === -1) {
        if (rest.trim() === '')
          open = null; // a blank line ends the paragraph: no span
        else open.parts.push(rest);
        continue;
      }
      open.parts.push(rest.slice(0, close));
      spans.push({ number: open.number, code: open.parts.join(' ').trim() });
      open = null;
      rest = rest.slice(close + 1);
    }
    const { code, prose } = splitCode(rest);
    for (const span of code) spans.push({ number, code: span });
    const unmatched = prose.indexOf('`');
    if (unmatched !== -1) open = { number, parts: [prose.slice(unmatched + 1)] };
  }
  return spans;
}

function topLevelFolders(root: string): Set<string> {
  return new Set(
    fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !UNTRACKED.has(entry.name))
      .map((entry) => entry.name),
  );
}

/** The repository paths a code span names: whole words that start with one of the repository's folders. */
export function repositoryPaths(code: string, folders: Set<string>): string[] {
  const paths: string[] = [];
  for (const raw of code.split(/[\s,;()'"=]+/)) {
    const word = raw.replace(/[.:]+$/, '');
    const first = word.split('/')[0]!;
    if (!word.includes('/') || !folders.has(first)) continue;
    if (/[<>{}$|]|\.\.\./.test(word)) continue; // a pattern (`.data/outbox/<created>.eml`), not a path
    paths.push(word);
  }
  return paths;
}

/** Whether a named path exists: a file, a folder, a glob (`activities/invoice-pdf*.ts`) or a file-name prefix. */
function pathExists(root: string, named: string): boolean {
  const full = path.join(root, named.replace(/\/$/, ''));
  if (!named.includes('*')) {
    if (fs.existsSync(full)) return named.endsWith('/') ? fs.statSync(full).isDirectory() : true;
    if (path.extname(named) !== '' || named.endsWith('/')) return false;
  }
  // `test/unit/domain/billing-period` names its files (`billing-period.test.ts`); `a*.ts` any match.
  const dir = path.dirname(full);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return false;
  const base = path.basename(full);
  const pattern = new RegExp(
    '^' + base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + (base.includes('*') ? '$' : ''),
  );
  return fs.readdirSync(dir).some((name) => pattern.test(name));
}

/** Every broken link, anchor and repository path of the given pages, as `file:line: problem`. */
export function documentationProblems(root = ROOT, files = documentationFiles(root)): string[] {
  const problems: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string): Set<string> => {
    if (!anchorsOf.has(file))
      anchorsOf.set(file, headingAnchors(fs.readFileSync(path.join(root, file), 'utf8')));
    return anchorsOf.get(file)!;
  };
  const folders = topLevelFolders(root);

  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) {
      problems.push(`${file}: missing`);
      continue;
    }
    const source = fs.readFileSync(full, 'utf8');
    const lines = proseLines(source);

    for (const { number, text } of lines) {
      const { prose } = splitCode(text);
      for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = match[1]!;
        const where = `${file}:${number}: link (${target})`;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [targetPath, anchor] = target.split('#', 2) as [string, string | undefined];
        let targetFile = file;
        if (targetPath !== '') {
          const resolved = path.normalize(path.join(path.dirname(file), decodeURIComponent(targetPath)));
          if (resolved.startsWith('..') || !fs.existsSync(path.join(root, resolved))) {
            problems.push(`${where}: ${resolved} does not exist`);
            continue;
          }
          targetFile = resolved;
        }
        if (anchor === undefined) continue;
        if (!targetFile.endsWith('.md')) {
          problems.push(`${where}: an anchor into ${targetFile}, which is not a Markdown page`);
          continue;
        }
        if (!anchors(targetFile).has(decodeURIComponent(anchor))) {
          problems.push(`${where}: ${targetFile} has no heading with the anchor #${anchor}`);
        }
      }
    }

    const commands = shellLines(source).map(({ number, text }) => ({
      number,
      code: text.replace(/#.*$/, ''),
    }));
    for (const { number, code } of [...codeSpans(lines), ...commands]) {
      for (const named of repositoryPaths(code, folders)) {
        if (!pathExists(root, named)) problems.push(`${file}:${number}: \`${named}\` does not exist`);
      }
    }
  }
  return problems;
}

describe('documentation links', () => {
  it('slugs headings as GitHub does', () => {
    expect(githubSlug('Writes that meet on one invoice')).toBe('writes-that-meet-on-one-invoice');
    expect(githubSlug('Load: `npm run bench`'.replace(/`/g, ''))).toBe('load-npm-run-bench');
    expect(githubSlug('Idempotency, rate limits and logs')).toBe('idempotency-rate-limits-and-logs');
    expect(githubSlug('Lifecycle: 3 pending items, create (includes them), finalize, pay')).toBe(
      'lifecycle-3-pending-items-create-includes-them-finalize-pay',
    );
    expect(githubSlug('CPU per task: why the write targets are out of reach on 2 cores')).toBe(
      'cpu-per-task-why-the-write-targets-are-out-of-reach-on-2-cores',
    );
    expect(githubSlug('Operators: the Temporal Web UI')).toBe('operators-the-temporal-web-ui');
    expect(githubSlug('snake_case and a–dash')).toBe('snake_case-and-adash');
    expect([...headingAnchors('# A\n\n## Same\n\n```\n# not a heading\n```\n\n## Same\n')]).toEqual([
      'a',
      'same',
      'same-1',
    ]);
  });

  it('finds the repository paths written in backticks', () => {
    const folders = new Set(['api', 'bench', 'workflows', 'test']);
    expect(repositoryPaths('npx tsx bench/profile.ts --statements', folders)).toEqual(['bench/profile.ts']);
    expect(repositoryPaths('api/routes/invoices.ts', folders)).toEqual(['api/routes/invoices.ts']);
    expect(repositoryPaths('workflows/domain/', folders)).toEqual(['workflows/domain/']);
    expect(repositoryPaths('/v1/invoices/:id/pay', folders)).toEqual([]);
    expect(repositoryPaths('.data/outbox/<created>-<evt_id>.eml', folders)).toEqual([]);
    expect(repositoryPaths('go.temporal.io/server/cmd/server@v1.29.1', folders)).toEqual([]);
  });

  it('reports a broken link, anchor or path with its file and line', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-links-'));
    try {
      fs.mkdirSync(path.join(root, 'docs'));
      fs.mkdirSync(path.join(root, 'api'));
      fs.writeFileSync(path.join(root, 'api', 'app.ts'), '');
      fs.writeFileSync(
        path.join(root, 'README.md'),
        '# Title\n\n## Next steps\n\n[ok](#next-steps) [ok](docs/a.md#rules) `api/app.ts`\n' +
          '[gone](docs/gone.md) [no anchor](#nowhere) [no heading](docs/a.md#missing)\n' +
          'Run `tsx api/server.ts`.\n\n```sh\nnpx tsx api/app.ts      # fine\nnpx tsx api/bench.ts    # gone\n```\n',
      );
      fs.writeFileSync(path.join(root, 'docs', 'a.md'), '# A\n\n## Rules\n\n[back](../README.md#title)\n');
      fs.writeFileSync(path.join(root, 'RESULTS.md'), '');
      expect(documentationProblems(root, ['README.md', 'docs/a.md'])).toEqual([
        'README.md:6: link (docs/gone.md): docs/gone.md does not exist',
        'README.md:6: link (#nowhere): README.md has no heading with the anchor #nowhere',
        'README.md:6: link (docs/a.md#missing): docs/a.md has no heading with the anchor #missing',
        'README.md:7: `api/server.ts` does not exist',
        'README.md:11: `api/bench.ts` does not exist',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('README.md, docs/*.md and bench/RESULTS.md: every link, anchor and named file resolves', () => {
    expect(documentationProblems()).toEqual([]);
  });
});
