// Configuration from the environment, shared by the worker and the API processes.
import dns from 'node:dns';
import type {
  ResolveHost,
  WebhookUrlPolicy,
  WebhookUrlPolicyMode,
} from '../workflows/domain/webhook-url-policy';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  return {
    address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? 'invoicing',
  };
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

// Worker tuning (see bench/RESULTS.md): each knob is the SDK's default when its variable is unset.
//   WORKER_MAX_CACHED_WORKFLOWS              workflows kept in memory (sticky cache)
//   WORKER_MAX_CONCURRENT_WORKFLOW_TASKS     workflow tasks run at once
//   WORKER_MAX_CONCURRENT_ACTIVITIES         activities run at once
export interface WorkerTuning {
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
}

export function workerTuningFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerTuning {
  const read = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${name} must be an integer >= 0, got "${text}"`);
    return value;
  };
  const tuning: WorkerTuning = {
    maxCachedWorkflows: read('WORKER_MAX_CACHED_WORKFLOWS'),
    maxConcurrentWorkflowTaskExecutions: read('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
    maxConcurrentActivityTaskExecutions: read('WORKER_MAX_CONCURRENT_ACTIVITIES'),
  };
  // Unset knobs stay out, so the SDK's own defaults apply.
  return Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined)) as WorkerTuning;
}

// The system resolver, which a strict webhook URL policy asks unless a test gives its own.
export const systemResolve: ResolveHost = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

// WEBHOOK_URL_POLICY, `permissive` or `strict`; `fallback` when unset (each process says its own).
export function webhookUrlPolicyFromEnv(
  fallback: WebhookUrlPolicyMode,
  env: NodeJS.ProcessEnv = process.env,
): WebhookUrlPolicy {
  const value = env.WEBHOOK_URL_POLICY || fallback;
  if (value === 'permissive') return { mode: 'permissive' };
  if (value === 'strict') return { mode: 'strict', resolve: systemResolve };
  throw new Error(`WEBHOOK_URL_POLICY must be "permissive" or "strict", got "${value}"`);
}
