// Types of progress.js (plain JavaScript: bootstrap.js loads it before node_modules exists).

export interface Reporter {
  update(status: string): void;
  note(message: string): void;
  draw(): void;
  clear(): void;
  elapsed(): number;
  finish(message: string): void;
}

export interface Counter<State> {
  state: State;
  line(text: string): boolean;
  status(): string;
}

export interface NpmState {
  total: number | null;
  metadata: number;
  tarballs: number;
  added: number | null;
}

export interface GoState {
  total: number | null;
  downloads: number;
  compiled: number;
  linking: boolean;
  last: string | null;
}

export type NpmLine = { kind: 'metadata' | 'tarball'; status: number } | { kind: 'added'; count: number };
export type GoLine =
  { kind: 'download'; module: string } | { kind: 'compile'; package: string | null } | { kind: 'link' };

export function formatDuration(ms: number): string;
export function npmPackagesToInstall(
  lock: unknown,
  platform?: string,
  arch?: string,
  libc?: string | null,
): number;
export function currentLibc(): string | null;
export function parseNpmLine(line: string): NpmLine | null;
export function npmCounter(total: number | null): Counter<NpmState>;
export function parseGoLine(line: string): GoLine | null;
export function goCounter(total: number | null): Counter<GoState> & { built(): string };
export function progressLine(prefix: string, status: string, elapsedMs: number, columns?: number): string;
export function shownPath(file: string): string;
export function isInteractive(stream: NodeJS.WriteStream): boolean;
export function endProgressLine(): void;
export function createReporter(options: {
  prefix: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  tty?: boolean;
  intervalMs?: number;
  now?: () => number;
  status?: string;
}): Reporter;
export function tailLines(text: string, count: number): string[];
export function runLogged(options: {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  append?: boolean;
  onLine?: (line: string) => void;
}): Promise<{ code: number; interrupted: NodeJS.Signals | null }>;
export function failureReport(prefix: string, logFile: string, count?: number): string[];
