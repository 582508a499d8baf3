// The time an invoice lives in: real time, or its customer's test clock. A clock-bound invoice
// sets no timers: it waits for the clock to advance, processes its deadlines up to the new
// frozen time in order (each at its own time), then reports back to the clock.
//
// The report is a row in Postgres, written by a local activity in the workflow task that
// finished catching up: the clock counts those rows, so it receives nothing per workflow.
// Advances begun before that change (no `reportInPostgres` in their signal) wait for a
// clockCaughtUp signal, and histories recorded then replay the signal: `patched` keeps them exact
// (invoice runs of revision 1 and later, `revised`, take it for granted).
import {
  getExternalWorkflowHandle,
  log,
  patched,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { clockCaughtUp, testClockWorkflowId, type ClockAdvancedSignal, type ClockBinding } from './messages';

export const CLOCK_REPORT_IN_POSTGRES = 'clock-report-in-postgres';

// As the invoice's transitions (workflows/invoice-activities.ts): retries within 5 s back off in
// the workflow task, longer ones (a Postgres outage) on a timer.
const local = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export class InvoiceClock {
  private frozenTime: number | null;
  private actingAt: number | null = null;
  private pending: ClockAdvancedSignal[] = [];

  constructor(
    private readonly binding: ClockBinding | null,
    private readonly revised = false,
  ) {
    this.frozenTime = binding?.frozenTime ?? null;
  }

  get bound(): boolean {
    return this.binding !== null;
  }

  current(): ClockBinding | null {
    return (
      this.binding && {
        clockId: this.binding.clockId,
        frozenTime: this.frozenTime ?? this.binding.frozenTime,
      }
    );
  }

  // Seconds: the deadline being processed, else the clock's frozen time, else real time.
  now(): number {
    return this.actingAt ?? this.frozenTime ?? Math.floor(Date.now() / 1000);
  }

  // Until when deadlines are due: the clock's frozen time, or the real present.
  horizon(): number {
    return this.frozenTime ?? Math.floor(Date.now() / 1000);
  }

  async actingAtDeadline<T>(at: number, fn: () => Promise<T>): Promise<T> {
    this.actingAt = this.bound ? at : null;
    try {
      return await fn();
    } finally {
      this.actingAt = null;
    }
  }

  advanced(signal: ClockAdvancedSignal): boolean {
    if (!this.binding || signal.clockId !== this.binding.clockId) return false;
    this.frozenTime = Math.max(this.frozenTime ?? signal.frozenTime, signal.frozenTime);
    this.pending.push(signal);
    return true;
  }

  get owesReport(): boolean {
    return this.pending.length > 0;
  }

  // Tells the clock this invoice has caught up with every advance it has seen.
  async reportCaughtUp(): Promise<void> {
    const reports = this.pending;
    this.pending = [];
    const workflowId = workflowInfo().workflowId;
    for (const report of reports) {
      const ids = { clockId: report.clockId, advanceId: report.advanceId, workflowId };
      try {
        if (report.reportInPostgres && (this.revised || patched(CLOCK_REPORT_IN_POSTGRES))) {
          await local.reportTestClockCatchUp(ids);
        } else {
          await getExternalWorkflowHandle(testClockWorkflowId(report.clockId)).signal(clockCaughtUp, {
            advanceId: report.advanceId,
            workflowId,
          });
        }
      } catch (error) {
        // The clock notices a workflow that never reports only if it closes; it will fail the
        // advance after its stall timeout otherwise. Failing this workflow would be worse.
        log.warn('test clock did not take the report', { clockId: report.clockId, error: String(error) });
      }
    }
  }

  pendingReports(): ClockAdvancedSignal[] {
    return [...this.pending];
  }
}
