// invoiceWorkflow: the single source of truth for one invoice. Every change arrives as an
// update: its validator refuses what the domain refuses (nothing is written), its handler
// re-checks under the workflow's lock, applies the pure transition and waits for the projection
// to be persisted before answering with the invoice.
import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import * as invoice from './domain/invoice';
import { resourceMissing } from './domain/errors';
import { createIdFactory } from './domain/ids';
import { withDefaults } from './domain/collection-settings';
import { applyWebhooksDelivered } from './domain/invoice-automation';
import { itemRowsUnchanged } from './domain/invoice-item';
import { assertFinalizationTime, nextDeadline, plannedFinalization, type Deadline } from './domain/schedule';
import type { InvoiceState } from './domain/types';
import { rethrowingDomainErrors as domain } from './domain-failure';
import * as messages from './messages';
import { registerEdits } from './invoice-edits';
import { registerPaymentUpdates } from './invoice-payment-updates';
import { Lock } from './lock';
import { actOnDeadline } from './invoice-collection';
import { InvoiceClock } from './invoice-clock';
import { transitionActivities } from './invoice-activities';
import { InvoiceVisibility } from './invoice-visibility';
import { subscriptionInvoiceChanged, subscriptionWorkflowId } from './subscription-messages';

export const END_REFUSED_CREATE = 'end-refused-create';

export async function invoiceWorkflow(input: messages.InvoiceWorkflowInput): Promise<void> {
  let state: InvoiceState | null = input.state ?? null;
  // Math.random is seeded per workflow run: ids made here are replay-safe.
  const ids = createIdFactory(Math.random);
  const settings = withDefaults(input.settings);
  const awaitingWebhooks = input.awaitingWebhooks ?? false;
  const revised = (input.revision ?? 0) >= 1;
  const activities = transitionActivities(revised);
  const clock = new InvoiceClock(input.clock ?? null, revised);
  const now = () => clock.now();
  const visibility = new InvoiceVisibility(revised, !input.state, () =>
    clock.bound ? ` (test clock ${clock.current()?.clockId})` : '',
  );
  const system: messages.Caller = { accountId: input.accountId };
  // Bumped by every change and signal: the deadline loop re-plans when it moves.
  let wakeups = 0;

  const lock = new Lock();
  const exclusive = <T>(fn: () => Promise<T>) => lock.run(fn);

  function current(caller: messages.Caller): InvoiceState {
    if (!state || state.deleted || caller.accountId !== input.accountId) {
      throw resourceMissing('invoice', input.invoiceId);
    }
    return state;
  }

  // Signals to the invoice's subscription still in flight: awaited before continue-as-new.
  const notifications = new Set<Promise<void>>();

  // A subscription's status follows its invoices: tell it when the status moves or a payment fails.
  function notifySubscription(before: InvoiceState | null, next: InvoiceState): void {
    if (!next.subscriptionId || next.deleted) return;
    const statusMoved = before?.status !== next.status;
    const paymentFailed = next.status === 'open' && next.attemptCount > (before?.attemptCount ?? 0);
    if (!statusMoved && !paymentFailed) return;
    const sent = getExternalWorkflowHandle(subscriptionWorkflowId(next.subscriptionId))
      .signal(subscriptionInvoiceChanged, {
        accountId: next.accountId,
        invoiceId: next.id,
        status: next.status,
        paymentFailed,
      })
      .catch((error: unknown) => {
        log.info('subscription workflow did not take the invoice signal', { error: String(error) });
      });
    notifications.add(sent);
    void sent.finally(() => notifications.delete(sent));
  }

  function adopt(next: InvoiceState): InvoiceState {
    notifySubscription(state, next);
    state = next;
    wakeups++;
    visibility.changed(next);
    return next;
  }

  function requestOf(caller: messages.Caller) {
    return { id: caller.requestId ?? null, idempotencyKey: caller.idempotencyKey ?? null };
  }

  // The run's first persist stores the settings it runs with (a test clock advance computes
  // this invoice's reminders in bulk from them); later ones need not repeat them.
  let settingsStored = false;

  async function commit(result: invoice.TransitionResult, caller: messages.Caller): Promise<InvoiceState> {
    // `state` is what was last persisted: every adopted state was.
    const unchangedItems =
      state !== null && itemRowsUnchanged(state, result.state, result.invoiceItemChanges);
    await activities.persistInvoice({
      ...result,
      request: requestOf(caller),
      now: now(),
      itemRowsUnchanged: unchangedItems,
      ...(settingsStored ? {} : { settings }),
    });
    settingsStored = true;
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

  // An auto_advance draft's finalization follows the account's settings and its webhooks,
  // unless the caller set the time (then nothing moves it).
  function replan(next: InvoiceState, explicit: boolean): InvoiceState {
    if (next.status !== 'draft' || !next.autoAdvance) return next;
    const planned = {
      ...next,
      automaticFinalizationExplicit: next.automaticFinalizationExplicit === true || explicit,
    };
    return { ...planned, automaticallyFinalizesAt: plannedFinalization(planned, settings, awaitingWebhooks) };
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
              subscriptionId: args.subscriptionId ?? null,
            })
          : [];
        const command = { ...args.command, lines: [...claimed, ...(args.command.lines ?? [])] };
        let created: invoice.TransitionResult;
        try {
          created = domain(() => invoice.createInvoice(command, now(), ids));
          created = {
            ...created,
            state: replan(created.state, command.automaticallyFinalizesAt !== undefined),
          };
        } catch (refusal) {
          if (claimed.length > 0) {
            await activities.releaseClaimedItems({
              accountId: args.accountId,
              invoiceId: args.command.invoiceId,
            });
          }
          throw refusal;
        }
        const made = await commit(created, args);
        // Made by a subscription during a test clock advance: catch up with it from here.
        if (input.pendingAdvance && clock.advanced(input.pendingAdvance)) wakeups++;
        return made;
      }),
    {
      validator: (args) =>
        domain(() => {
          if (args.accountId !== input.accountId || args.command.invoiceId !== input.invoiceId) {
            throw resourceMissing('invoice', args.command.invoiceId);
          }
          if (!state) {
            invoice.assertCanCreate(args.command);
            assertFinalizationTime(args.command.automaticallyFinalizesAt, now());
          }
        }),
    },
  );

  registerEdits(onTransition, { now, ids, replan });

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

  registerPaymentUpdates({
    accountId: input.accountId,
    state: () => state,
    current,
    exclusive,
    finalizeNow,
    payment: { activities, commit, now, ids },
  });

  // ---- time: test clocks, webhook deliveries and the deadline loop ----

  setHandler(messages.clockAdvanced, (signal) => {
    if (clock.advanced(signal)) wakeups++;
  });

  setHandler(messages.webhooksDelivered, (signal) => {
    void exclusive(async () => {
      // Only an auto-advancing draft's plan depends on its deliveries.
      if (!state || state.deleted || state.status !== 'draft' || !state.autoAdvance) return;
      // A clock-bound invoice counts the delivery in its clock's time, not the real one.
      const at = clock.bound ? now() : signal.at;
      const delivered = { ...state, webhooksDeliveredAt: Math.max(at, state.webhooksDeliveredAt ?? 0) };
      const plan =
        state.status === 'draft' && state.autoAdvance ? plannedFinalization(delivered, settings, true) : null;
      await commit(applyWebhooksDelivered(state, at, plan), system);
    });
  });

  setHandler(messages.getPlan, () => ({
    next: state ? nextDeadline(state, settings) : null,
    clock: clock.current(),
  }));

  const collection = {
    activities,
    commit,
    finalize: (from: InvoiceState) => finalizeNow(from, system),
    now,
    ids,
    settings,
    system,
  };

  // A deadline whose action failed for good is not retried until the invoice changes.
  let failedDeadline: string | null = null;
  const deadlineKey = (s: InvoiceState, d: Deadline) => `${s.version}:${d.action}:${d.at}`;

  async function actIfStillDue(): Promise<void> {
    const s = state;
    const due = s ? nextDeadline(s, settings) : null;
    if (!s || !due || due.at > clock.horizon() || deadlineKey(s, due) === failedDeadline) return;
    try {
      await clock.actingAtDeadline(due.at, () => actOnDeadline(s, due, collection));
    } catch (error) {
      failedDeadline = deadlineKey(s, due);
      log.error('scheduled action failed', { action: due.action, at: due.at, error: String(error) });
    }
  }

  function continueAsNewNow(): boolean {
    return lock.idle && !clock.owesReport && workflowInfo().continueAsNewSuggested;
  }

  // Update-with-start starts this workflow whatever its create's fate: a create refused by its
  // validator or its handler leaves a workflow with no invoice that nothing would ever wake. Once
  // the first create has settled (a condition: no command, so running invoices replay as
  // before), such a workflow ends; a retried create with the same id starts a new run.
  let createRefused = false;
  if (!state) {
    void condition(() => state !== null || (lock.idle && allHandlersFinished())).then(() => {
      if (state) return;
      createRefused = true;
      wakeups++;
    });
  }

  for (;;) {
    // `patched` only here: a workflow orphaned before this change keeps waiting when replayed.
    if (createRefused && !state && (revised || patched(END_REFUSED_CREATE))) {
      log.info('create refused: ending the invoice workflow', { invoiceId: input.invoiceId });
      return;
    }
    const deadline = state ? nextDeadline(state, settings) : null;
    if (state?.deleted || continueAsNewNow()) {
      visibility.settled(state, deadline);
      break;
    }
    const actionable = deadline !== null && state !== null && deadlineKey(state, deadline) !== failedDeadline;
    visibility.planned(deadline);
    if (actionable && deadline.at <= clock.horizon()) {
      await exclusive(actIfStillDue);
      continue;
    }
    if (clock.owesReport && lock.idle) {
      await clock.reportCaughtUp();
      continue;
    }
    visibility.settled(state, deadline);
    const seen = wakeups;
    const woken = () => wakeups !== seen || (clock.owesReport && lock.idle) || continueAsNewNow();
    if (!actionable || clock.bound) await condition(woken);
    else await condition(woken, Math.max(1, deadline.at * 1000 - Date.now()));
  }

  // Deleted drafts end their workflow (after telling their clock); every other invoice stays
  // addressable for updates, continuing as new before its history grows large.
  await condition(allHandlersFinished);
  if (clock.owesReport) await clock.reportCaughtUp();
  await Promise.all([...notifications]);
  if (state && !state.deleted) {
    await continueAsNew<typeof invoiceWorkflow>({
      ...input,
      state,
      clock: clock.current(),
      pendingAdvance: null,
      revision: messages.INVOICE_WORKFLOW_REVISION,
    });
  }
}
