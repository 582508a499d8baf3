// How a test clock advance ran before the wait moved to Postgres: the clock's workflow signalled
// every attached workflow itself and waited for a clockCaughtUp signal from each. It stays
// because clock workflows recorded then must replay exactly (workflows/test-clock.ts reaches it
// when `patched('clock-catch-up-in-postgres')` is false, i.e. only in such a replay). Each woken
// workflow cost the clock's history a signal command, an event and an incoming signal, so this
// path cannot advance a clock of more than about 10,000 workflows. Do not change its commands.
import { condition, getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { clockAdvanced } from './messages';

type Activities = ReturnType<typeof createActivities>;

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const SIGNAL_BATCH = 500;
const ADVANCE_TIMEOUT_MS = 10 * 60 * 1000;
const FIRST_LIVENESS_CHECK_MS = 2_000;
const MAX_LIVENESS_CHECK_MS = 60_000;

export interface SignalledAdvance {
  advanceId: string;
  targetFrozenTime: number;
  // Grows with clockJoined (a subscription's invoice made during the advance).
  waitingFor: string[];
}

// Tells each workflow where the clock is going; answers those that were told.
export async function wakeBySignals(clockId: string, current: SignalledAdvance): Promise<string[]> {
  const workflowIds = await activities.listTestClockWorkflows({ clockId });
  const signal = { clockId, frozenTime: current.targetFrozenTime, advanceId: current.advanceId };
  // Temporal holds at most 2,000 outgoing signals pending per workflow: batches, each awaited.
  const told: Array<string | null> = [];
  for (let start = 0; start < workflowIds.length; start += SIGNAL_BATCH) {
    const batch = workflowIds.slice(start, start + SIGNAL_BATCH);
    told.push(
      ...(await Promise.all(
        batch.map(async (workflowId) => {
          try {
            await getExternalWorkflowHandle(workflowId).signal(clockAdvanced, signal);
            return workflowId;
          } catch {
            return null;
          }
        }),
      )),
    );
  }
  return told.filter((workflowId): workflowId is string => workflowId !== null);
}

// True when every told workflow has reported (`done`, filled by the clockCaughtUp handler) or
// closed, false after ADVANCE_TIMEOUT.
export async function waitForReports(current: SignalledAdvance, done: Set<string>): Promise<boolean> {
  const allDone = () => current.waitingFor.every((workflowId) => done.has(workflowId));
  const deadline = Date.now() + ADVANCE_TIMEOUT_MS;
  let interval = FIRST_LIVENESS_CHECK_MS;
  while (!allDone()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    if (await condition(allDone, Math.min(interval, remaining))) return true;
    const pending = current.waitingFor.filter((workflowId) => !done.has(workflowId));
    for (const workflowId of await activities.findClosedWorkflows({ workflowIds: pending })) {
      done.add(workflowId);
    }
    interval = Math.min(interval * 2, MAX_LIVENESS_CHECK_MS);
  }
  return true;
}
