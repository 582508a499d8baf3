// The invoice's edits whose whole effect is one pure transition of the domain: for each update,
// what refuses it (also its validator) and the transition, registered on the invoice's workflow
// (./invoice.ts) through its onTransition, which runs them under the lock and persists.
import type { UpdateDefinition } from '@temporalio/common';
import * as creditNotes from './domain/credit-note';
import { resourceMissing } from './domain/errors';
import type { IdFactory } from './domain/ids';
import * as invoice from './domain/invoice';
import { assertFinalizationTime } from './domain/schedule';
import type { InvoiceState } from './domain/types';
import * as messages from './messages';

export type OnTransition = <A extends messages.Caller>(
  definition: UpdateDefinition<InvoiceState, [A]>,
  assert: (current: InvoiceState, args: A) => void,
  apply: (current: InvoiceState, args: A) => invoice.TransitionResult,
) => void;

export interface EditContext {
  now(): number;
  ids: IdFactory;
  // An auto_advance draft's finalization planned anew after the edit (explicit: the caller set it).
  replan(next: InvoiceState, explicit: boolean): InvoiceState;
}

function lineOfItem(from: InvoiceState, invoiceItemId: string) {
  const line = from.lines.find((candidate) => candidate.invoiceItemId === invoiceItemId);
  if (!line) throw resourceMissing('invoiceitem', invoiceItemId);
  return line;
}

export function registerEdits(onTransition: OnTransition, { now, ids, replan }: EditContext): void {
  onTransition(
    messages.updateInvoice,
    (s, a) => {
      invoice.assertCanUpdate(s, a.command);
      assertFinalizationTime(a.command.automaticallyFinalizesAt, now());
    },
    (s, a) => {
      const updated = invoice.applyUpdate(s, a.command, now(), ids);
      return { ...updated, state: replan(updated.state, a.command.automaticallyFinalizesAt !== undefined) };
    },
  );
  onTransition(
    messages.deleteInvoice,
    (s) => invoice.assertCanDelete(s),
    (s) => invoice.applyDelete(s, undefined, now(), ids),
  );
  onTransition(
    messages.addLines,
    (s, a) => invoice.assertCanAddLines(s, a),
    (s, a) => invoice.applyAddLines(s, a, now(), ids),
  );
  onTransition(
    messages.updateLines,
    (s, a) => invoice.assertCanUpdateLines(s, a),
    (s, a) => invoice.applyUpdateLines(s, a, now(), ids),
  );
  onTransition(
    messages.removeLines,
    (s, a) => invoice.assertCanRemoveLines(s, a),
    (s, a) => invoice.applyRemoveLines(s, a, now(), ids),
  );
  onTransition(
    messages.voidInvoice,
    (s) => invoice.assertCanVoid(s),
    (s) => invoice.applyVoid(s, undefined, now(), ids),
  );
  onTransition(
    messages.markUncollectible,
    (s) => invoice.assertCanMarkUncollectible(s),
    (s) => invoice.applyMarkUncollectible(s, undefined, now(), ids),
  );
  onTransition(
    messages.addInvoiceItem,
    (s, a) => invoice.assertCanAddLines(s, { lines: [a.line] }),
    (s, a) => invoice.applyAddLines(s, { lines: [a.line] }, now(), ids),
  );
  onTransition(
    messages.updateInvoiceItem,
    (s, a) =>
      invoice.assertCanUpdateLines(s, { lines: [{ ...a.changes, id: lineOfItem(s, a.invoiceItemId).id }] }),
    (s, a) =>
      invoice.applyUpdateLines(
        s,
        { lines: [{ ...a.changes, id: lineOfItem(s, a.invoiceItemId).id }] },
        now(),
        ids,
      ),
  );
  onTransition(
    messages.createCreditNote,
    (s, a) => creditNotes.assertCanCreateCreditNote(s, a.command),
    (s, a) => creditNotes.applyCreateCreditNote(s, a.command, now(), ids),
  );
  onTransition(
    messages.updateCreditNote,
    (s, a) => creditNotes.assertCanUpdateCreditNote(s, a.change),
    (s, a) => creditNotes.applyUpdateCreditNote(s, a.change, now(), ids),
  );
  onTransition(
    messages.voidCreditNote,
    (s, a) => creditNotes.assertCanVoidCreditNote(s, a),
    (s, a) => creditNotes.applyVoidCreditNote(s, a, now(), ids),
  );
  onTransition(
    messages.deleteInvoiceItem,
    (s, a) =>
      invoice.assertCanRemoveLines(s, {
        lines: [{ id: lineOfItem(s, a.invoiceItemId).id, behavior: 'delete' }],
      }),
    (s, a) =>
      invoice.applyRemoveLines(
        s,
        { lines: [{ id: lineOfItem(s, a.invoiceItemId).id, behavior: 'delete' }] },
        now(),
        ids,
      ),
  );
}
