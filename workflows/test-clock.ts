// testClockWorkflow: one per test clock, `test_clock/<clock_id>`, the only writer of the
// clock's status. The API starts it lazily, with update-with-start on the clock's first advance
// (a clock that is never advanced needs no workflow), and terminates it when the clock is
// deleted.
//
// An advance is an update whose handler only marks the clock 'advancing' and answers (as Stripe
// answers at once with status 'advancing'); the main loop then wakes every attached workflow
// with clockAdvanced, waits for each to report clockCaughtUp, and only then marks the clock
// 'ready' at its new frozen_time. An advance that is not done within ADVANCE_TIMEOUT leaves the
// clock in 'internal_failure'.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { resourceMissing } from './domain/errors';
import { assertCanAdvance, type TestClockStatus } from './domain/test-clock';
import { rethrowingDomainErrors as domain } from './domain-failure';
import { Lock } from './lock';
import { clockAdvanced, clockCaughtUp, clockJoined } from './messages';
import {
  advanceTestClock,
  getTestClockState,
  type AdvanceTestClockArgs,
  type TestClockWorkflowInput,
} from './test-clock-messages';

type Activities = ReturnType<typeof createActivities>;

// Postgres may be away for a while: keep retrying; every activity is idempotent.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const SIGNAL_BATCH = 500;
// Generous: an attached workflow catches up in well under a second unless something is wrong.
const ADVANCE_TIMEOUT_MS = 10 * 60 * 1000;
// While waiting, how often to look for attached workflows that closed without answering
// (terminated, or a deleted draft): first soon, then less and less often.
const FIRST_LIVENESS_CHECK_MS = 2_000;
const MAX_LIVENESS_CHECK_MS = 60_000;

interface Advance {
  advanceId: string;
  targetFrozenTime: number;
  // True once Postgres shows the clock advancing: only then may the main loop run it.
  persisted: boolean;
  waitingFor: string[];
}

export async function testClockWorkflow(input: TestClockWorkflowInput): Promise<void> {
  let frozenTime = input.frozenTime;
  let status: TestClockStatus = input.status;
  let advance: Advance | null = null;
  // Caught-up reports by advance: one may arrive before the list of workflows to wait for is
  // known (a fast workflow answers while the others are still being signalled).
  const caughtUp = new Map<string, Set<string>>();
  // Writes of the clock's row, in the order the workflow decided them.
  const writes = new Lock();

  function assertAdvanceAllowed(args: AdvanceTestClockArgs): void {
    if (args.accountId !== input.accountId) throw resourceMissing('test_clock', input.clockId);
    assertCanAdvance({ frozenTime, status: advance ? 'advancing' : status }, args.frozenTime);
  }

  setHandler(getTestClockState, () => {
    const current = advance;
    const done = current ? caughtUp.get(current.advanceId) : undefined;
    return {
      frozenTime,
      status,
      advance: current && {
        advanceId: current.advanceId,
        targetFrozenTime: current.targetFrozenTime,
        waitingFor: current.waitingFor.filter((workflowId) => !done?.has(workflowId)),
      },
    };
  });

  setHandler(clockCaughtUp, ({ advanceId, workflowId }) => {
    caughtUp.get(advanceId)?.add(workflowId); // a report for a finished advance changes nothing
  });

  // A workflow born during this advance (a subscription's invoice): wait for it as well. Its
  // maker reports only after this signal was sent, so the advance cannot finish before it.
  setHandler(clockJoined, ({ advanceId, workflowId }) => {
    const current = advance;
    if (current?.advanceId === advanceId && !current.waitingFor.includes(workflowId)) {
      current.waitingFor.push(workflowId);
    }
  });

  setHandler(
    advanceTestClock,
    async (args) => {
      // Re-checked here: two advances may pass their validators in the same activation.
      domain(() => assertAdvanceAllowed(args));
      const started: Advance = {
        advanceId: uuid4(),
        targetFrozenTime: args.frozenTime,
        persisted: false,
        waitingFor: [],
      };
      advance = started;
      caughtUp.set(started.advanceId, new Set());
      try {
        const clock = await writes.run(() =>
          activities.markTestClockAdvancing({
            clockId: input.clockId,
            advanceId: started.advanceId,
            targetFrozenTime: started.targetFrozenTime,
          }),
        );
        started.persisted = true;
        status = 'advancing';
        return clock;
      } catch (error) {
        advance = null;
        caughtUp.delete(started.advanceId);
        throw error;
      }
    },
    { validator: (args) => domain(() => assertAdvanceAllowed(args)) },
  );

  // Tells each workflow where the clock is going; answers those that were told. A workflow
  // that no longer exists has nothing to catch up on.
  async function wakeAttachedWorkflows(current: Advance): Promise<string[]> {
    const workflowIds = await activities.listTestClockWorkflows({ clockId: input.clockId });
    const signal = {
      clockId: input.clockId,
      frozenTime: current.targetFrozenTime,
      advanceId: current.advanceId,
    };
    // Temporal holds at most 2,000 outgoing signals pending per workflow: send them in batches,
    // each awaited, so a clock with any number of invoices can advance.
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

  // True when every told workflow has caught up (or closed), false after ADVANCE_TIMEOUT.
  async function waitForCatchUp(current: Advance): Promise<boolean> {
    const done = caughtUp.get(current.advanceId) ?? new Set<string>();
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

  // The workflow's state turns first, then Postgres: by the time a caller can read 'ready', the
  // workflow accepts the next advance, whose write waits (under `writes`) for this one.
  async function runAdvance(current: Advance): Promise<void> {
    current.waitingFor = await wakeAttachedWorkflows(current);
    const ready = await waitForCatchUp(current);
    const ids = { clockId: input.clockId, advanceId: current.advanceId };
    caughtUp.delete(current.advanceId);
    advance = null;
    if (ready) {
      frozenTime = current.targetFrozenTime;
      status = 'ready';
      await writes.run(() => activities.markTestClockReady({ ...ids, frozenTime }));
    } else {
      status = 'internal_failure';
      await writes.run(() => activities.markTestClockFailed(ids));
    }
  }

  // Advances run here, one at a time, outside the update handler that answered the caller. A
  // long life continues as new between advances, carrying the clock's time along.
  // Read through functions: TypeScript cannot see the handlers above changing these.
  const pending = (): Advance | null => advance;
  const settledStatus = (): TestClockWorkflowInput['status'] =>
    status === 'internal_failure' ? 'internal_failure' : 'ready';
  for (;;) {
    await condition(() => pending()?.persisted === true || workflowInfo().continueAsNewSuggested);
    const next = pending();
    if (next?.persisted) {
      await runAdvance(next);
      continue;
    }
    await condition(allHandlersFinished);
    if (pending()) continue; // an advance was accepted meanwhile: run it first
    await continueAsNew<typeof testClockWorkflow>({ ...input, frozenTime, status: settledStatus() });
  }
}
