// Progress of the long first-run steps (`npm ci`, `go install` of the Temporal CLI and server):
// their whole output goes to a log file, and the terminal gets a few lines per step: on a TTY one
// line updated in place, elsewhere (CI, a pipe) one plain line every 15 s. On failure the last
// lines of the log and its path are printed.
// Plain CommonJS with only Node built-ins: scripts/bootstrap.js loads it before node_modules
// exists. Types for the TypeScript scripts are in progress.d.ts.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function formatDuration(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

// --- npm ci ---------------------------------------------------------------------------------

// How many packages `npm ci` installs from this lock file on this machine: every entry but the
// root, links, and the optional builds for another os, cpu or libc (which npm skips).
function npmPackagesToInstall(lock, platform = process.platform, arch = process.arch, libc = currentLibc()) {
  const allows = (list, value) => {
    if (!Array.isArray(list) || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    return list.includes(value) || list.every((entry) => entry.startsWith('!'));
  };
  let count = 0;
  for (const [key, entry] of Object.entries((lock && lock.packages) || {})) {
    if (key === '' || entry.link) continue;
    if (!allows(entry.os, platform) || !allows(entry.cpu, arch)) continue;
    if (entry.libc && libc && !allows(entry.libc, libc)) continue;
    count++;
  }
  return count;
}

function currentLibc() {
  if (process.platform !== 'linux') return null;
  const header = process.report && process.report.getReport ? process.report.getReport().header : {};
  return header && header.glibcVersionRuntime ? 'glibc' : 'musl';
}

// One line of `npm ci --loglevel=http`: a fetched package document or tarball, or the summary.
function parseNpmLine(line) {
  const fetch = /^npm http fetch [A-Z]+ (\d{3}) (\S+)/.exec(line);
  if (fetch) return { kind: fetch[2].endsWith('.tgz') ? 'tarball' : 'metadata', status: Number(fetch[1]) };
  const added = /^(?:added|changed) (\d+) packages?/.exec(line);
  if (added) return { kind: 'added', count: Number(added[1]) };
  return null;
}

function npmStatus(state) {
  if (state.added !== null) return `added ${state.added} packages`;
  const total = state.total ? `/${state.total}` : '';
  if (state.tarballs === 0 && state.metadata > 0)
    return `${state.metadata}${total} package documents fetched`;
  if (state.total && state.tarballs >= state.total)
    return `${state.tarballs}${total} packages downloaded, running install scripts`;
  return `${state.tarballs}${total} packages downloaded`;
}

function npmCounter(total) {
  const state = { total, metadata: 0, tarballs: 0, added: null };
  return {
    state,
    // true when the line changed the count
    line(text) {
      const parsed = parseNpmLine(text);
      if (!parsed) return false;
      if (parsed.kind === 'tarball') state.tarballs++;
      else if (parsed.kind === 'metadata') state.metadata++;
      else state.added = parsed.count;
      return true;
    },
    status: () => npmStatus(state),
  };
}

// --- go install -x --------------------------------------------------------------------------

// One line of `go install -x`: a module download, a package compiled (not from the build cache),
// or the final link.
function parseGoLine(line) {
  if (line.startsWith('go: downloading ')) return { kind: 'download', module: line.slice(16).trim() };
  if (/\/compile(?:\.exe)? -o /.test(line)) {
    const pkg = / -p (\S+)/.exec(line);
    return { kind: 'compile', package: pkg ? pkg[1] : null };
  }
  if (/\/link(?:\.exe)? -o /.test(line)) return { kind: 'link' };
  return null;
}

// "N packages compiled, M from Go's build cache" (M when the total is known)
function goBuilt(state) {
  const cached = state.total !== null && state.total > state.compiled ? state.total - state.compiled : 0;
  return `${state.compiled} packages compiled` + (cached ? `, ${cached} from Go's build cache` : '');
}

function goStatus(state) {
  if (state.linking) return `linking (${goBuilt(state)})`;
  if (state.compiled === 0 && state.downloads > 0) return `downloaded ${state.downloads} modules`;
  const total = state.total ? ` of ${state.total}` : '';
  return `compiled ${state.compiled}${total} packages`;
}

function goCounter(total) {
  const state = { total, downloads: 0, compiled: 0, linking: false, last: null };
  return {
    state,
    line(text) {
      const parsed = parseGoLine(text);
      if (!parsed) return false;
      if (parsed.kind === 'download') state.downloads++;
      else if (parsed.kind === 'compile') {
        state.compiled++;
        state.last = parsed.package;
      } else state.linking = true;
      return true;
    },
    status: () => goStatus(state),
    built: () => goBuilt(state),
  };
}

// --- display --------------------------------------------------------------------------------

function progressLine(prefix, status, elapsedMs, columns) {
  const line = `${prefix} ${status} (${formatDuration(elapsedMs)})`;
  if (!columns || line.length < columns) return line;
  return line.slice(0, Math.max(0, columns - 2)) + '…';
}

// A path as the user would type it: relative to the current folder when inside it.
function shownPath(file) {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isInteractive(stream) {
  return Boolean(stream.isTTY) && process.env.TERM !== 'dumb' && !process.env.CI;
}

// The reporter whose line is on the terminal now: anything else printed ends it first.
let activeLine = null;

function endProgressLine() {
  if (activeLine) activeLine.clear();
}

function createReporter(options) {
  const stream = options.stream || process.stdout;
  const tty = options.tty !== undefined ? options.tty : isInteractive(stream);
  const intervalMs = options.intervalMs || (tty ? 1000 : 15_000);
  const now = options.now || Date.now;
  const started = now();
  let status = options.status || 'starting';
  let drawn = false;
  let lastDraw = 0;
  const current = () => progressLine(options.prefix, status, now() - started, tty ? stream.columns : 0);
  const self = {
    clear() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
      if (activeLine === self) activeLine = null;
    },
    draw() {
      if (!tty) return void stream.write(current() + '\n');
      if (activeLine && activeLine !== self) activeLine.clear();
      stream.write((drawn ? '\r\x1b[2K' : '') + current());
      drawn = true;
      activeLine = self;
      lastDraw = now();
    },
    update(next) {
      status = next;
      // On a terminal at most ten redraws a second; plain lines come from the timer alone.
      if (tty && now() - lastDraw >= 100) self.draw();
    },
    // A line of its own (a warning, a hint), the progress line redrawn under it.
    note(message) {
      const wasDrawn = drawn;
      self.clear();
      stream.write(`${options.prefix} ${message}\n`);
      if (wasDrawn) self.draw();
    },
    elapsed: () => now() - started,
    finish(message) {
      clearInterval(timer);
      self.clear();
      stream.write(`${options.prefix} ${message} (${formatDuration(now() - started)})\n`);
    },
  };
  const timer = setInterval(() => self.draw(), intervalMs);
  timer.unref();
  if (tty) self.draw();
  return self;
}

// --- running a step -------------------------------------------------------------------------

function tailLines(text, count) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count);
}

// Runs a command with its stdout and stderr written to `logFile` (replaced, or appended to with
// `append`), each line passed to `onLine`.
// Resolves with its exit code (1 when killed by a signal) and the SIGINT or SIGTERM this process
// got meanwhile, if any: those are passed on to the child (a terminal's Ctrl-C reaches both
// anyway), and a child still running when this process exits is killed with it.
function runLogged({ command, args, cwd, env, logFile, onLine, append }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, append ? 'a' : 'w');
  fs.writeSync(log, `$ ${[command, ...args].join(' ')}   # ${new Date().toISOString()}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let interrupted = null;
    const killChild = () => child.kill('SIGTERM');
    const onSignal = (signal) => {
      interrupted = interrupted || signal;
      child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM'];
    process.on('exit', killChild);
    for (const signal of signals) process.on(signal, onSignal);
    const cleanUp = () => {
      process.removeListener('exit', killChild);
      for (const signal of signals) process.removeListener(signal, onSignal);
    };
    const forward = (source) => {
      let partial = '';
      source.on('data', (chunk) => {
        fs.writeSync(log, chunk);
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop();
        for (const line of lines) if (onLine) onLine(line);
      });
      source.on('end', () => {
        if (partial && onLine) onLine(partial);
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on('error', (error) => {
      cleanUp();
      fs.closeSync(log);
      reject(error);
    });
    child.on('close', (code, signal) => {
      cleanUp();
      fs.writeSync(log, `# exited with ${code !== null ? code : signal}\n`);
      fs.closeSync(log);
      resolve({ code: code !== null ? code : 1, interrupted });
    });
  });
}

// The lines a failed step prints: the end of its log and where the rest is.
function failureReport(prefix, logFile, count = 20) {
  let text = '';
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    // no log to show
  }
  return [
    `${prefix} failed; the last lines of its log:`,
    // `go install -x` writes lines of several kilobytes (a binary's module list): cut them.
    ...tailLines(text, count).map((line) => `    ${line.length > 300 ? line.slice(0, 299) + '…' : line}`),
    `${prefix} full log: ${logFile}`,
  ];
}

module.exports = {
  createReporter,
  currentLibc,
  endProgressLine,
  failureReport,
  formatDuration,
  goCounter,
  isInteractive,
  npmCounter,
  npmPackagesToInstall,
  parseGoLine,
  parseNpmLine,
  progressLine,
  runLogged,
  shownPath,
  tailLines,
};
