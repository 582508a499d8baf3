// The test clock workflow's side effects: its row in Postgres, the workflows attached to it, and
// the two halves of an advance that used to run inside the clock's workflow: waking every
// attached workflow and waiting until each has caught up. Here they cost the clock's history
// two activities whatever the number of workflows (a signal and a report per workflow in the
// workflow itself hit Temporal's per-run limits at about 10,000).
import { heartbeat, log, sleep } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { ActivityDeps } from './deps';
import {
  advanceStragglers,
  countAdvanceStragglers,
  deleteAdvanceWorkflows,
  insertAdvanceWorkflows,
  markAdvanceWorkflows,
  markTestClockAdvancing,
  markTestClockFailed,
  markTestClockReady,
  reportAdvanceCatchUp,
  testClockInvoiceIds,
  unsignalledAdvanceWorkflows,
} from '../db/repositories/test-clocks';
import { testClockSubscriptionIds } from '../db/repositories/subscriptions';
import { subscriptionWorkflowId } from '../workflows/subscription-messages';
import { resourceMissing } from '../workflows/domain/errors';
import type { TestClockRecord } from '../workflows/domain/test-clock';
import { toApplicationFailure } from '../workflows/domain-failure';
import { writeDueReminders } from './clock-reminders';
import { clockAdvanced, invoiceWorkflowId, type ClockAdvancedSignal } from '../workflows/messages';

// Signals in flight at once, and how many are marked signalled per statement.
const SIGNAL_CONCURRENCY = 32;
const SIGNAL_CHUNK = 500;
// How often the clock's wait reads the count of workflows not caught up yet.
const POLL_MS = 100;
// With the count standing still, look for stragglers that closed without answering (terminated,
// or a deleted draft): first soon, then less and less often; a bounded number each time.
const FIRST_LIVENESS_CHECK_MS = 2_000;
const MAX_LIVENESS_CHECK_MS = 60_000;
const STRAGGLERS_PER_CHECK = 200;

async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]);
    }),
  );
  return results;
}

function required(temporal: Client | undefined): Client {
  if (!temporal) throw new Error('advancing a test clock needs a Temporal client in the activity deps');
  return temporal;
}

// True when the workflow is no longer running (or never existed): nothing left to catch up on.
async function isClosed(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    const description = await temporal.workflow.getHandle(workflowId).describe();
    return description.status.name !== 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return true;
    throw error;
  }
}

export function createTestClockActivities({ db, temporal, customerFacing }: ActivityDeps) {
  // Every workflow living in the clock's time: its customers' subscriptions and invoices.
  // Subscriptions first: the invoices they make during the advance join it on their own.
  async function listTestClockWorkflows(input: { clockId: string }): Promise<string[]> {
    const [subscriptions, invoices] = await Promise.all([
      testClockSubscriptionIds(db, input.clockId),
      testClockInvoiceIds(db, input.clockId),
    ]);
    return [...subscriptions.map(subscriptionWorkflowId), ...invoices.map(invoiceWorkflowId)];
  }

  // The advance ends: its rows go (and any a late report left behind).
  async function endAdvance<T>(clockId: string, write: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return db.transaction(async (trx) => {
      const result = await write(trx);
      await deleteAdvanceWorkflows(trx, clockId);
      return result;
    });
  }

  return {
    async markTestClockAdvancing(input: {
      clockId: string;
      advanceId: string;
      targetFrozenTime: number;
    }): Promise<TestClockRecord> {
      const clock = await markTestClockAdvancing(db, input);
      // Deleted meanwhile: a refusal, not a fault to retry.
      if (!clock) throw toApplicationFailure(resourceMissing('test_clock', input.clockId));
      return clock;
    },

    async markTestClockReady(input: {
      clockId: string;
      advanceId: string;
      frozenTime: number;
    }): Promise<void> {
      await endAdvance(input.clockId, (trx) => markTestClockReady(trx, input));
    },

    async markTestClockFailed(input: { clockId: string; advanceId: string }): Promise<void> {
      await endAdvance(input.clockId, (trx) => markTestClockFailed(trx, input));
    },

    listTestClockWorkflows,

    // Writes the reminders falling due by the new time in bulk (activities/clock-reminders.ts),
    // records every attached workflow as one the advance waits for, then tells each where the
    // clock is going. Idempotent: a retry writes no reminder twice and signals only the rows not
    // marked signalled yet (a workflow told twice reports twice, which changes nothing). A
    // workflow that no longer exists is marked caught up.
    async wakeTestClockWorkflows(input: {
      clockId: string;
      advanceId: string;
      frozenTime: number;
    }): Promise<void> {
      const client = required(temporal);
      const started = Date.now();
      const reminders = await writeDueReminders(db, input, customerFacing?.publicUrl);
      if (reminders > 0) {
        log.info('reminders written in bulk', {
          clockId: input.clockId,
          reminders,
          ms: Date.now() - started,
        });
      }
      const workflowIds = await listTestClockWorkflows(input);
      await deleteAdvanceWorkflows(db, input.clockId, input.advanceId);
      await insertAdvanceWorkflows(db, { ...input, workflowIds });
      const unsignalled = new Set(await unsignalledAdvanceWorkflows(db, input.advanceId));
      const toTell = workflowIds.filter((workflowId) => unsignalled.has(workflowId));
      const signal: ClockAdvancedSignal = {
        clockId: input.clockId,
        frozenTime: input.frozenTime,
        advanceId: input.advanceId,
        reportInPostgres: true,
      };
      let told = 0;
      for (let start = 0; start < toTell.length; start += SIGNAL_CHUNK) {
        const chunk = toTell.slice(start, start + SIGNAL_CHUNK);
        const reached = await mapConcurrently(chunk, SIGNAL_CONCURRENCY, async (workflowId) => {
          try {
            await client.workflow.getHandle(workflowId).signal(clockAdvanced, signal);
            return true;
          } catch (error) {
            if (error instanceof WorkflowNotFoundError) return false; // closed or never started
            throw error;
          } finally {
            heartbeat({ told: ++told });
          }
        });
        const gone = chunk.filter((_, i) => !reached[i]);
        await markAdvanceWorkflows(db, input.advanceId, chunk, { signalled: true });
        await markAdvanceWorkflows(db, input.advanceId, gone, { caught_up: true });
      }
    },

    // True once every workflow of the advance has caught up (or closed); false when none has
    // for stallTimeoutMs. "No progress for", not a deadline: a large clock may take long, as
    // long as its workflows keep catching up.
    async awaitTestClockCatchUp(input: { advanceId: string; stallTimeoutMs: number }): Promise<boolean> {
      const client = required(temporal);
      let waiting = await countAdvanceStragglers(db, input.advanceId);
      let progressAt = Date.now();
      let checkedAt = Date.now();
      let checkEvery = FIRST_LIVENESS_CHECK_MS;
      while (waiting > 0) {
        if (Date.now() - progressAt >= input.stallTimeoutMs) return false;
        await sleep(POLL_MS); // throws when the activity is cancelled
        const now = await countAdvanceStragglers(db, input.advanceId);
        heartbeat({ waiting: now });
        if (now < waiting) {
          progressAt = Date.now();
          checkEvery = FIRST_LIVENESS_CHECK_MS;
        }
        waiting = now;
        if (waiting === 0 || Date.now() - Math.max(progressAt, checkedAt) < checkEvery) continue;
        const stragglers = await advanceStragglers(db, input.advanceId, STRAGGLERS_PER_CHECK);
        const closed = await mapConcurrently(stragglers, SIGNAL_CONCURRENCY, (id) => isClosed(client, id));
        await markAdvanceWorkflows(
          db,
          input.advanceId,
          stragglers.filter((_, i) => closed[i]),
          { caught_up: true },
        );
        checkedAt = Date.now();
        checkEvery = Math.min(checkEvery * 2, MAX_LIVENESS_CHECK_MS);
      }
      return true;
    },

    // A woken workflow's report (a local activity of the invoice or subscription workflow).
    async reportTestClockCatchUp(input: {
      clockId: string;
      advanceId: string;
      workflowId: string;
    }): Promise<void> {
      await reportAdvanceCatchUp(db, input);
    },

    // The workflows among these that are no longer running: they have nothing left to catch up
    // on, so the clock stops waiting for them. Without a client, none can be told apart.
    // (Advances started before the wait moved to Postgres: workflows/test-clock-legacy.ts.)
    async findClosedWorkflows(input: { workflowIds: string[] }): Promise<string[]> {
      if (!temporal) return [];
      const closed: string[] = [];
      for (const workflowId of input.workflowIds) {
        if (await isClosed(temporal, workflowId)) closed.push(workflowId);
      }
      return closed;
    },
  };
}
