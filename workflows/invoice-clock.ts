// The time an invoice lives in: real time, or its customer's test clock. A clock-bound invoice
// sets no timers: it waits for the clock to advance, processes its deadlines up to the new
// frozen time in order (each at its own time), then reports back to the clock.
import { getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import { clockCaughtUp, testClockWorkflowId, type ClockAdvancedSignal, type ClockBinding } from './messages';

export class InvoiceClock {
  private frozenTime: number | null;
  private actingAt: number | null = null;
  private pending: ClockAdvancedSignal[] = [];

  constructor(private readonly binding: ClockBinding | null) {
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
    for (const report of reports) {
      try {
        await getExternalWorkflowHandle(testClockWorkflowId(report.clockId)).signal(clockCaughtUp, {
          advanceId: report.advanceId,
          workflowId: workflowInfo().workflowId,
        });
      } catch (error) {
        log.warn('test clock workflow did not take the report', {
          clockId: report.clockId,
          error: String(error),
        });
      }
    }
  }

  pendingReports(): ClockAdvancedSignal[] {
    return [...this.pending];
  }
}
