// invoiceWorkflow: the single source of truth for one invoice. Every change arrives as an
// update: its validator refuses what the domain refuses (nothing is written), its handler
// re-checks under the workflow's lock, applies the pure transition and waits for the projection
// to be persisted before answering with the invoice.
import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import * as invoice from './domain/invoice';
import { resourceMissing } from './domain/errors';
import { createIdFactory } from './domain/ids';
import { computeTotals } from './domain/totals';
import type { InvoiceState } from './domain/types';
import { rethrowingDomainErrors as domain } from './domain-failure';
import * as messages from './messages';
import { attachPaymentIntent, collectPayment } from './invoice-payment';
import { Lock } from './lock';
import { AmountDue, InvoiceNumber, InvoiceStatus } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;

// Postgres may be away for a while: keep retrying; every activity is idempotent.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function invoiceWorkflow(input: messages.InvoiceWorkflowInput): Promise<void> {
  let state: InvoiceState | null = input.state ?? null;
  // Math.random is seeded per workflow run: ids made here are replay-safe.
  const ids = createIdFactory(Math.random);
  const now = () => Math.floor(Date.now() / 1000);

  const lock = new Lock();
  const exclusive = <T>(fn: () => Promise<T>) => lock.run(fn);

  function current(caller: messages.Caller): InvoiceState {
    if (!state || state.deleted || caller.accountId !== input.accountId) {
      throw resourceMissing('invoice', input.invoiceId);
    }
    return state;
  }

  function adopt(next: InvoiceState): InvoiceState {
    state = next;
    upsertSearchAttributes([
      { key: InvoiceStatus, value: next.deleted ? 'deleted' : next.status },
      { key: AmountDue, value: computeTotals(next).amountDue },
      { key: InvoiceNumber, value: next.number },
    ]);
    return next;
  }

  function requestOf(caller: messages.Caller) {
    return { id: caller.requestId ?? null, idempotencyKey: caller.idempotencyKey ?? null };
  }

  async function commit(result: invoice.TransitionResult, caller: messages.Caller): Promise<InvoiceState> {
    await activities.persistInvoice({ ...result, request: requestOf(caller), now: now() });
    return adopt(result.state);
  }

  // Finalization reads and moves the customer's balance and sequence: one activity does it in
  // one Postgres transaction, so two invoices can never spend the same credit.
  async function finalizeNow(from: InvoiceState, caller: messages.Caller, autoAdvance?: boolean) {
    const finalized = await activities.finalizeInvoice({
      state: from,
      now: now(),
      autoAdvance,
      request: requestOf(caller),
    });
    return adopt(finalized);
  }

  // An update whose whole effect is one pure transition of the domain.
  function onTransition<A extends messages.Caller>(
    definition: UpdateDefinition<InvoiceState, [A]>,
    assert: (current: InvoiceState, args: A) => void,
    apply: (current: InvoiceState, args: A) => invoice.TransitionResult,
  ): void {
    setHandler(
      definition,
      (args: A) =>
        exclusive(async () => {
          const result = domain(() => {
            const before = current(args);
            assert(before, args);
            return apply(before, args);
          });
          return commit(result, args);
        }),
      { validator: (args: A) => domain(() => assert(current(args), args)) },
    );
  }

  function lineOfItem(from: InvoiceState, invoiceItemId: string) {
    const line = from.lines.find((candidate) => candidate.invoiceItemId === invoiceItemId);
    if (!line) throw resourceMissing('invoiceitem', invoiceItemId);
    return line;
  }

  setHandler(messages.getInvoice, () => state);

  setHandler(
    messages.createInvoice,
    (args) =>
      exclusive(async () => {
        // A retried create (same id) answers with what the first one made.
        if (state) return domain(() => current(args));
        const claimed = args.includePendingItems
          ? await activities.claimPendingItems({
              accountId: args.accountId,
              customerId: args.command.customerId,
              invoiceId: args.command.invoiceId,
              currency: args.command.currency,
            })
          : [];
        const command = { ...args.command, lines: [...claimed, ...(args.command.lines ?? [])] };
        let created: invoice.TransitionResult;
        try {
          created = domain(() => invoice.createInvoice(command, now(), ids));
        } catch (refusal) {
          if (claimed.length > 0) {
            await activities.releaseClaimedItems({
              accountId: args.accountId,
              invoiceId: args.command.invoiceId,
            });
          }
          throw refusal;
        }
        return commit(created, args);
      }),
    {
      validator: (args) =>
        domain(() => {
          if (args.accountId !== input.accountId || args.command.invoiceId !== input.invoiceId) {
            throw resourceMissing('invoice', args.command.invoiceId);
          }
          if (!state) invoice.assertCanCreate(args.command);
        }),
    },
  );

  onTransition(
    messages.updateInvoice,
    (s, a) => invoice.assertCanUpdate(s, a.command),
    (s, a) => invoice.applyUpdate(s, a.command, now(), ids),
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

  setHandler(
    messages.finalizeInvoice,
    (args) =>
      exclusive(async () => {
        const before = domain(() => {
          const s = current(args);
          invoice.assertCanFinalize(s);
          return s;
        });
        return finalizeNow(before, args, args.autoAdvance);
      }),
    { validator: (args) => domain(() => invoice.assertCanFinalize(current(args))) },
  );

  // Sending a send_invoice draft finalizes it first, as Stripe does.
  setHandler(
    messages.sendInvoice,
    (args) =>
      exclusive(async () => {
        let s = domain(() => {
          const before = current(args);
          invoice.assertCanSend(before);
          return before;
        });
        if (s.status === 'draft') s = await finalizeNow(s, args);
        const open = s;
        return commit(
          domain(() => invoice.send(open, undefined, now(), ids)),
          args,
        );
      }),
    { validator: (args) => domain(() => invoice.assertCanSend(current(args))) },
  );

  setHandler(
    messages.payInvoice,
    (args) =>
      exclusive(async () => {
        let s = domain(() => {
          const before = current(args);
          invoice.assertCanPay(before);
          return before;
        });
        if (s.status === 'draft') s = await finalizeNow(s, args);
        if (s.status === 'paid') return s; // nothing was due after finalization
        return collectPayment(s, args, { activities, commit, now, ids });
      }),
    { validator: (args) => domain(() => invoice.assertCanPay(current(args))) },
  );

  setHandler(
    messages.attachPayment,
    (args) =>
      exclusive(async () => {
        const s = domain(() => {
          const before = current(args);
          invoice.assertCanRecordPayment(before);
          return before;
        });
        return attachPaymentIntent(s, args, { activities, commit, now, ids });
      }),
    { validator: (args) => domain(() => invoice.assertCanRecordPayment(current(args))) },
  );

  // Money received outside (an integration's signal): recorded like paid_out_of_band.
  setHandler(messages.paymentReceived, (signal) => {
    void exclusive(async () => {
      if (!state || signal.accountId !== input.accountId || signal.amount <= 0) return;
      const s = state;
      try {
        invoice.assertCanRecordPaymentSuccess(s, { amount: signal.amount, outOfBand: true });
      } catch {
        return; // a signal cannot be refused; one that does not apply changes nothing
      }
      await commit(invoice.applyPaymentSucceeded(s, { amount: signal.amount, outOfBand: true }, now(), ids), {
        accountId: signal.accountId,
        requestId: signal.reference ?? null,
      });
    });
  });

  // Deleted drafts end their workflow; every other invoice stays addressable for updates. A
  // long life continues as new before the history grows large, carrying the state along.
  await condition(() => lock.idle && (state?.deleted === true || workflowInfo().continueAsNewSuggested));
  await condition(allHandlersFinished);
  if (state && !state.deleted) {
    await continueAsNew<typeof invoiceWorkflow>({ ...input, state });
  }
}
