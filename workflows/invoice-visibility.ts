// What operators see of an invoice in the Temporal Web UI: its search attributes (status, amount
// due, number, next deadline) and the "Next: …" line of its current details.
//
// Every UPSERT_WORKFLOW_SEARCH_ATTRIBUTES command is a visibility task that rewrites the
// workflow's row in Temporal's visibility store, the largest single cost of the dev server. Runs
// of revision 1 and later write once per workflow task, when the workflow settles: only the
// attributes that moved, however many changes the task made (a clock's wake-up finalizes and
// pays in one task). Earlier runs keep the commands their histories hold (the three invoice
// attributes after every change, the deadline whenever the plan moves), so they replay exactly.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Deadline } from './domain/schedule';
import { computeTotals } from './domain/totals';
import type { InvoiceState } from './domain/types';
import { AmountDue, InvoiceNumber, InvoiceStatus, NextDeadline } from './search-attributes';

type Published = {
  status?: string;
  amountDue?: number;
  number?: string | null;
  deadline?: number | null;
};

export class InvoiceVisibility {
  private details: string | null = null;
  private readonly published: Published;

  // `onePerTask`: revision 1 and later. `fresh`: the first run, whose start set the status to
  // draft and left the number and the deadline unset (a continued run assumes nothing).
  constructor(
    private readonly onePerTask: boolean,
    fresh: boolean,
    private readonly clockLabel: () => string,
  ) {
    this.published = fresh ? { status: 'draft', number: null, deadline: null } : {};
  }

  // After every change the workflow adopts.
  changed(next: InvoiceState): void {
    if (this.onePerTask) return;
    upsertSearchAttributes([
      { key: InvoiceStatus, value: statusOf(next) },
      { key: AmountDue, value: computeTotals(next).amountDue },
      { key: InvoiceNumber, value: next.number },
    ]);
  }

  // Each turn of the deadline loop, before it acts or waits.
  planned(deadline: Deadline | null): void {
    if (this.onePerTask || !this.describe(deadline)) return;
    upsertSearchAttributes([nextDeadlineOf(deadline)]);
  }

  // The deadline loop is about to wait (or to end the run): nothing more happens in this task.
  settled(state: InvoiceState | null, deadline: Deadline | null): void {
    if (!this.onePerTask) return;
    this.describe(deadline);
    const moved: SearchAttributeUpdatePair[] = [];
    const at = deadline?.at ?? null;
    if (this.published.deadline !== at) moved.push(nextDeadlineOf(deadline));
    this.published.deadline = at;
    if (state) {
      const status = statusOf(state);
      const amountDue = computeTotals(state).amountDue;
      if (this.published.status !== status) moved.push({ key: InvoiceStatus, value: status });
      if (this.published.amountDue !== amountDue) moved.push({ key: AmountDue, value: amountDue });
      if (this.published.number !== state.number) moved.push({ key: InvoiceNumber, value: state.number });
      Object.assign(this.published, { status, amountDue, number: state.number });
    }
    if (moved.length > 0) upsertSearchAttributes(moved);
  }

  // The current details' "Next: …" line; true when it changed.
  private describe(deadline: Deadline | null): boolean {
    const text = deadline
      ? `${deadline.action} at ${new Date(deadline.at * 1000).toISOString()}`
      : 'nothing scheduled';
    if (text === this.details) return false;
    this.details = text;
    setCurrentDetails(`Next: ${text}${this.clockLabel()}`);
    return true;
  }
}

function statusOf(state: InvoiceState): string {
  return state.deleted ? 'deleted' : state.status;
}

function nextDeadlineOf(deadline: Deadline | null): SearchAttributeUpdatePair {
  return { key: NextDeadline, value: deadline ? new Date(deadline.at * 1000) : null };
}
