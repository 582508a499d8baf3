// testClockWorkflow: one per test clock, `test_clock/<clock_id>`, the only writer of the
// clock's status. The API starts it lazily, with update-with-start on the clock's first advance
// (a clock that is never advanced needs no workflow), and terminates it when the clock is
// deleted.
//
// An advance is an update whose handler only marks the clock 'advancing' and answers (as Stripe
// answers at once with status 'advancing'); the main loop then runs two activities: one records
// every attached workflow in Postgres and wakes it with clockAdvanced, the other waits until
// each has reported (a row marked caught_up, written by the workflow's own local activity). Only
// then does the clock turn 'ready' at its new frozen_time. An advance during which no workflow
// catches up for STALL_TIMEOUT leaves the clock in 'internal_failure'. The clock's history thus
// grows by a few events per advance, whatever the number of workflows attached; advances begun
// before this design signalled each workflow from here (workflows/test-clock-legacy.ts).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { resourceMissing } from './domain/errors';
import { assertCanAdvance, type TestClockStatus } from './domain/test-clock';
import { rethrowingDomainErrors as domain } from './domain-failure';
import { Lock } from './lock';
import { clockCaughtUp, clockJoined } from './messages';
import { waitForReports, wakeBySignals } from './test-clock-legacy';
import {
  advanceTestClock,
  getTestClockState,
  type AdvanceTestClockArgs,
  type TestClockWorkflowInput,
} from './test-clock-messages';

type Activities = ReturnType<typeof createActivities>;

// Postgres may be away for a while: keep retrying; every activity is idempotent.
const KEEP_RETRYING = {
  initialInterval: '200 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
};

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: KEEP_RETRYING,
});

// The two halves of an advance run long (a clock may have 100,000 invoices): they heartbeat, so
// a lost worker is noticed within a heartbeat timeout, and a retry resumes where Postgres says.
const advanceActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: KEEP_RETRYING,
});

// The mark that answers an advance is one short Postgres write: as a local activity it runs in
// the workflow task that received the update, which then answers and schedules the wake-up at
// once, instead of waiting for a round trip through an activity task (its reminders start that
// much sooner). Advances recorded before this patch replay the regular activity.
const localActivities = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '5 seconds',
  retry: KEEP_RETRYING,
});
const MARK_ADVANCING_LOCALLY = 'clock-mark-advancing-local';

const CLOCK_CATCH_UP_IN_POSTGRES = 'clock-catch-up-in-postgres';
// Generous: an attached workflow catches up in well under a second unless something is wrong.
// Counted from the last workflow that caught up, so a large clock may take as long as it needs.
const STALL_TIMEOUT_MS = 10 * 60 * 1000;

interface Advance {
  advanceId: string;
  targetFrozenTime: number;
  // True once Postgres shows the clock advancing: only then may the main loop run it.
  persisted: boolean;
  // Advances counted in Postgres (all new ones) leave this empty; it is the signalled path's.
  waitingFor: string[];
  reportsInPostgres: boolean;
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
        reportsInPostgres: current.reportsInPostgres,
      },
    };
  });

  // The reports of advances begun before they moved to Postgres (workflows/test-clock-legacy.ts).
  setHandler(clockCaughtUp, ({ advanceId, workflowId }) => {
    caughtUp.get(advanceId)?.add(workflowId); // a report for a finished advance changes nothing
  });

  // A workflow born during a signalled advance (a subscription's invoice): wait for it as well.
  // Its maker reports only after this signal was sent, so the advance cannot finish before it.
  // (In an advance counted in Postgres, the maker writes the invoice's row instead.)
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
        reportsInPostgres: false,
      };
      advance = started;
      caughtUp.set(started.advanceId, new Set());
      try {
        const mark = patched(MARK_ADVANCING_LOCALLY) ? localActivities : activities;
        const clock = await writes.run(() =>
          mark.markTestClockAdvancing({
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

  // True once every attached workflow has caught up (or closed), false if they stalled.
  async function catchUpInPostgres(current: Advance): Promise<boolean> {
    current.reportsInPostgres = true;
    const { advanceId } = current;
    await advanceActivities.wakeTestClockWorkflows({
      clockId: input.clockId,
      advanceId,
      frozenTime: current.targetFrozenTime,
    });
    return advanceActivities.awaitTestClockCatchUp({ advanceId, stallTimeoutMs: STALL_TIMEOUT_MS });
  }

  // Only when replaying a history recorded before the wait moved to Postgres.
  async function catchUpBySignals(current: Advance): Promise<boolean> {
    current.waitingFor = await wakeBySignals(input.clockId, current);
    return waitForReports(current, caughtUp.get(current.advanceId) ?? new Set<string>());
  }

  // The workflow's state turns first, then Postgres: by the time a caller can read 'ready', the
  // workflow accepts the next advance, whose write waits (under `writes`) for this one.
  async function runAdvance(current: Advance): Promise<void> {
    const ready = patched(CLOCK_CATCH_UP_IN_POSTGRES)
      ? await catchUpInPostgres(current)
      : await catchUpBySignals(current);
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
