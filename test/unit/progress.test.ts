import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createReporter,
  failureReport,
  formatDuration,
  goCounter,
  npmCounter,
  npmPackagesToInstall,
  parseGoLine,
  parseNpmLine,
  progressLine,
  runLogged,
  tailLines,
} from '../../scripts/progress';

describe('formatDuration', () => {
  it('shows seconds, then minutes and seconds', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(4_600)).toBe('5s');
    expect(formatDuration(59_000)).toBe('59s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(275_000)).toBe('4m35s');
  });
});

describe('npm ci', () => {
  it('counts the packages this machine installs from the lock file', () => {
    const lock = {
      packages: {
        '': { name: 'root' },
        'node_modules/a': {},
        'node_modules/b': { optional: true, os: ['linux'], cpu: ['x64'] },
        'node_modules/b-mac': { optional: true, os: ['darwin'], cpu: ['arm64'] },
        'node_modules/b-musl': { optional: true, os: ['linux'], cpu: ['x64'], libc: ['musl'] },
        'node_modules/c': { os: ['!win32'] },
        'node_modules/linked': { link: true },
      },
    };
    expect(npmPackagesToInstall(lock, 'linux', 'x64', 'glibc')).toBe(3);
    expect(npmPackagesToInstall(lock, 'linux', 'x64', 'musl')).toBe(4);
    expect(npmPackagesToInstall(lock, 'darwin', 'arm64', null)).toBe(3);
    expect(npmPackagesToInstall(lock, 'win32', 'x64', null)).toBe(1);
  });

  it('matches the lock file of this repository on this machine', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package-lock.json'), 'utf8'));
    const count = npmPackagesToInstall(lock);
    expect(count).toBeGreaterThan(100);
    expect(count).toBeLessThan(Object.keys(lock.packages).length);
  });

  it('tells package documents, tarballs and the summary apart', () => {
    expect(
      parseNpmLine('npm http fetch GET 200 https://registry.npmjs.org/wrappy 5960ms (cache updated)'),
    ).toEqual({ kind: 'metadata', status: 200 });
    expect(
      parseNpmLine(
        'npm http fetch GET 200 https://registry.npmjs.org/xtend/-/xtend-4.0.2.tgz 12ms (cache hit)',
      ),
    ).toEqual({ kind: 'tarball', status: 200 });
    expect(parseNpmLine('added 721 packages in 52s')).toEqual({ kind: 'added', count: 721 });
    expect(parseNpmLine('added 1 package, and audited 2 packages in 3s')).toEqual({
      kind: 'added',
      count: 1,
    });
    expect(parseNpmLine('npm warn deprecated inflight@1.0.6: This module is not supported')).toBeNull();
    expect(parseNpmLine('')).toBeNull();
  });

  it('says how far the install got', () => {
    const counter = npmCounter(3);
    expect(counter.status()).toBe('0/3 packages downloaded');
    expect(counter.line('npm http fetch GET 200 https://registry.npmjs.org/a 5ms (cache hit)')).toBe(true);
    expect(counter.status()).toBe('1/3 package documents fetched');
    for (const name of ['a', 'b'])
      counter.line(`npm http fetch GET 200 https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz 5ms`);
    expect(counter.status()).toBe('2/3 packages downloaded');
    expect(counter.line('> esbuild@0.25.0 postinstall')).toBe(false);
    counter.line('npm http fetch GET 200 https://registry.npmjs.org/c/-/c-1.0.0.tgz 5ms');
    expect(counter.status()).toBe('3/3 packages downloaded, running install scripts');
    counter.line('added 3 packages in 9s');
    expect(counter.status()).toBe('added 3 packages');
    expect(npmCounter(null).status()).toBe('0 packages downloaded');
  });
});

describe('go install -x', () => {
  const compile =
    '/usr/local/go/pkg/tool/linux_amd64/compile -o $WORK/b009/_pkg_.a -trimpath "$WORK/b009=>" -p runtime ' +
    '-lang=go1.26 -std -buildid x/x -goversion go1.26.8 -c=2 -nolocalimports -pack ./alg.go';

  it('recognises module downloads, compiled packages and the link', () => {
    expect(parseGoLine('go: downloading go.temporal.io/server v1.29.1')).toEqual({
      kind: 'download',
      module: 'go.temporal.io/server v1.29.1',
    });
    expect(parseGoLine(compile)).toEqual({ kind: 'compile', package: 'runtime' });
    expect(parseGoLine('/usr/local/go/pkg/tool/linux_amd64/compile -V=full')).toBeNull();
    expect(
      parseGoLine('GOROOT=/usr/local/go /usr/local/go/pkg/tool/linux_amd64/link -o $WORK/b001/exe/a.out -s'),
    ).toEqual({ kind: 'link' });
    expect(parseGoLine('mkdir -p $WORK/b009/')).toBeNull();
    expect(parseGoLine("cat >/tmp/go-build1/b009/importcfg << 'EOF' # internal")).toBeNull();
  });

  it('says how far the build got', () => {
    const counter = goCounter(null);
    counter.line('go: downloading github.com/temporalio/cli v1.5.1');
    expect(counter.status()).toBe('downloaded 1 modules');
    counter.state.total = 1298;
    counter.line(compile);
    expect(counter.status()).toBe('compiled 1 of 1298 packages');
    expect(counter.state.last).toBe('runtime');
    counter.line('/usr/local/go/pkg/tool/linux_amd64/link -o $WORK/b001/exe/a.out');
    expect(counter.status()).toBe("linking (1 packages compiled, 1297 from Go's build cache)");
    expect(counter.built()).toBe("1 packages compiled, 1297 from Go's build cache");
    const unknown = goCounter(null);
    unknown.line(compile);
    expect(unknown.status()).toBe('compiled 1 packages');
  });
});

describe('the progress line', () => {
  it('has the step, its status and the time spent, cut to the terminal width', () => {
    expect(progressLine('[npm]', '3/9 packages downloaded', 65_000)).toBe(
      '[npm] 3/9 packages downloaded (1m05s)',
    );
    const cut = progressLine('[npm]', 'x'.repeat(100), 1_000, 40);
    expect(cut).toHaveLength(39);
    expect(cut.endsWith('…')).toBe(true);
  });

  function fakeStream(tty: boolean) {
    const writes: string[] = [];
    return { writes, stream: { isTTY: tty, columns: 80, write: (text: string) => writes.push(text) > 0 } };
  }

  it('on a terminal: one line redrawn in place, then the summary on a line of its own', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const reporter = createReporter({
      prefix: '[go]',
      stream: stream as unknown as NodeJS.WritableStream,
      tty: true,
      now: () => now,
      status: 'starting',
    });
    expect(writes).toEqual(['[go] starting (0s)']);
    now = 50;
    reporter.update('compiled 1 of 9 packages');
    expect(writes).toHaveLength(1); // at most ten redraws a second
    now = 2_000;
    reporter.update('compiled 2 of 9 packages');
    expect(writes[1]).toBe('\r\x1b[2K[go] compiled 2 of 9 packages (2s)');
    reporter.note('a warning');
    expect(writes.slice(2)).toEqual(['\r\x1b[2K', '[go] a warning\n', '[go] compiled 2 of 9 packages (2s)']);
    now = 3_000;
    reporter.finish('built');
    expect(writes.slice(-2)).toEqual(['\r\x1b[2K', '[go] built (3s)\n']);
    expect(writes.join('').split('\n')).toHaveLength(3);
  });

  it('elsewhere: plain lines on a timer, nothing in between', async () => {
    const { writes, stream } = fakeStream(false);
    const reporter = createReporter({
      prefix: '[npm]',
      stream: stream as unknown as NodeJS.WritableStream,
      tty: false,
      intervalMs: 20,
    });
    reporter.update('1/9 packages downloaded');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    reporter.finish('added 9 packages');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes[0]).toMatch(/^\[npm\] 1\/9 packages downloaded \(0s\)\n$/);
    expect(writes[writes.length - 1]).toMatch(/^\[npm\] added 9 packages \(0s\)\n$/);
    expect(writes.every((text) => !text.includes('\r'))).toBe(true);
  });
});

describe('running a step', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the whole output in the log, passes each line on, and reports the exit code', async () => {
    const logFile = path.join(dir, 'logs', 'step.log');
    const lines: string[] = [];
    const result = await runLogged({
      command: process.execPath,
      args: ['-e', 'console.log("one\\ntwo"); console.error("three"); process.exit(3)'],
      logFile,
      onLine: (line) => lines.push(line),
    });
    expect(result).toEqual({ code: 3, interrupted: null });
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('one\ntwo\n');
    expect(log).toContain('three\n');
    expect(log).toContain('# exited with 3');
    const report = failureReport('[step]', logFile, 2);
    expect(report[0]).toBe('[step] failed; the last lines of its log:');
    expect(report).toHaveLength(4);
    expect(report[3]).toBe(`[step] full log: ${logFile}`);
  });

  it('appends when asked', async () => {
    const logFile = path.join(dir, 'append.log');
    for (const word of ['first', 'second'])
      await runLogged({ command: 'echo', args: [word], logFile, append: word === 'second' });
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/first[\s\S]*second/);
  });

  it('cuts the long lines of a failed log', () => {
    const logFile = path.join(dir, 'long.log');
    fs.writeFileSync(logFile, 'x'.repeat(5_000) + '\nshort\n');
    const report = failureReport('[step]', logFile);
    expect(report[1]).toHaveLength(4 + 300);
    expect(report[2]).toBe('    short');
  });

  it('takes the last lines of a log', () => {
    expect(tailLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(tailLines('', 2)).toEqual([]);
  });
});
