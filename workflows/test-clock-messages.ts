// The test clock workflow's own messages, shared by the API, the worker and tests. Its side of
// the contract with the invoice workflow (clockAdvanced, clockCaughtUp, its id and type) lives
// in messages.ts, beside the invoice's; caught-up reports now go to Postgres
// (test_clock_advance_workflows), see workflows/test-clock.ts.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TestClockRecord, TestClockStatus } from './domain/test-clock';

export interface TestClockWorkflowInput {
  clockId: string;
  accountId: string;
  // Where the clock stood when its workflow started; carried across continue-as-new.
  frozenTime: number;
  status: Exclude<TestClockStatus, 'advancing'>;
}

// The caller's account: another account's caller is answered as if the clock did not exist.
export interface AdvanceTestClockArgs {
  accountId: string;
  frozenTime: number;
}

// Answers with the clock as persisted at the start of the advance (status 'advancing'); the
// clock becomes 'ready' later, once every attached workflow has caught up.
export const advanceTestClock = defineUpdate<TestClockRecord, [AdvanceTestClockArgs]>('advanceTestClock');

export interface TestClockWorkflowState {
  frozenTime: number;
  status: TestClockStatus;
  advance: {
    advanceId: string;
    targetFrozenTime: number;
    // The workflows not caught up yet, in an advance counted by signals (before the count moved
    // to Postgres). Counted in Postgres (reportsInPostgres), the list is empty: the rows of
    // test_clock_advance_workflows not caught_up are the ones waited for.
    waitingFor: string[];
    reportsInPostgres: boolean;
  } | null;
}
export const getTestClockState = defineQuery<TestClockWorkflowState>('getTestClockState');
