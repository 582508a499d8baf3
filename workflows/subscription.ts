// subscriptionWorkflow: the single source of truth for one subscription, `subscription/<id>`.
// It bills: the first invoice at creation, then one invoice per period at each period end, each
// its own invoice workflow (made by an activity, auto-finalized and collected like any other);
// invoice.upcoming X days before each renewal; prorations when its items change. Its status
// follows what its invoices report. It continues as new between periods, so its history stays
// small however many years it lives.
import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { withDefaults } from './domain/collection-settings';
import { resourceMissing } from './domain/errors';
import { createIdFactory } from './domain/ids';
import { createSubscription as create, assertCanCreateSubscription } from './domain/subscription-create';
import {
  applyInvoiceOutcome,
  assertCanCancel,
  cancelSubscription as cancel,
  expireIncomplete,
  isEnded,
  nextSubscriptionDeadline,
  renewSubscription,
  type SubscriptionDeadline,
} from './domain/subscription-lifecycle';
import type { SubscriptionState, SubscriptionTransition } from './domain/subscription-types';
import { assertCanUpdateSubscription, updateSubscription as update } from './domain/subscription-update';
import { rethrowingDomainErrors as domain } from './domain-failure';
import { InvoiceClock } from './invoice-clock';
import { Lock } from './lock';
import type { Caller } from './messages';
import { clockAdvanced } from './messages';
import * as messages from './subscription-messages';

type Activities = ReturnType<typeof createActivities>;

// Every activity is idempotent (keyed by the ids this workflow minted): retry through outages.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// How long a started workflow waits for its creation to be accepted.
const ORPHAN_TIMEOUT = '10 minutes';

export async function subscriptionWorkflow(input: messages.SubscriptionWorkflowInput): Promise<void> {
  let state: SubscriptionState | null = input.state ?? null;
  const ids = createIdFactory(Math.random);
  const settings = withDefaults(input.settings);
  const clock = new InvoiceClock(input.clock ?? null);
  const now = () => clock.now();
  const lock = new Lock();
  const exclusive = <T>(fn: () => Promise<T>) => lock.run(fn);
  let wakeups = 0;

  function current(caller: Caller): SubscriptionState {
    if (!state || caller.accountId !== input.accountId)
      throw resourceMissing('subscription', input.subscriptionId);
    return state;
  }

  const requestOf = (caller: Caller) => ({
    id: caller.requestId ?? null,
    idempotencyKey: caller.idempotencyKey ?? null,
  });

  async function commit(transition: SubscriptionTransition, caller: Caller): Promise<SubscriptionState> {
    await activities.persistSubscription({
      state: transition.state,
      events: transition.events,
      pendingItems: transition.pendingItems,
      request: requestOf(caller),
      now: now(),
    });
    state = transition.state;
    wakeups++;
    return transition.state;
  }

  // Persists the change, then makes its invoice (if any) and applies what the invoice became.
  async function carryOut(transition: SubscriptionTransition, caller: Caller): Promise<SubscriptionState> {
    let s = await commit(transition, caller);
    if (!transition.invoice) return s;
    const outcome = await activities.issueSubscriptionInvoice({
      subscription: s,
      invoice: transition.invoice,
      // The invoice starts at this workflow's acting time (a renewal's period end), not the
      // clock's target: it then catches up with the advance itself.
      clock: clock.bound ? { clockId: clock.current()?.clockId ?? '', frozenTime: now() } : null,
      pendingAdvance: clock.pendingReports().at(-1) ?? null,
      request: requestOf(caller),
    });
    const followed = outcome && applyInvoiceOutcome(s, outcome, now(), ids);
    if (followed) s = await commit(followed, caller);
    return s;
  }

  function onChange<A extends Caller>(
    definition: UpdateDefinition<SubscriptionState, [A]>,
    assert: (s: SubscriptionState | null, args: A) => void,
    transition: (s: SubscriptionState | null, args: A) => SubscriptionTransition | SubscriptionState,
  ): void {
    setHandler(
      definition,
      (args: A) =>
        exclusive(async () => {
          const result = domain(() => {
            assert(state, args);
            return transition(state, args);
          });
          return 'state' in result ? carryOut(result, args) : result;
        }),
      { validator: (args: A) => domain(() => assert(state, args)) },
    );
  }

  setHandler(messages.getSubscription, () => state);
  setHandler(messages.getSubscriptionPlan, () => ({
    next: state ? nextSubscriptionDeadline(state, settings.upcomingDays) : null,
    clock: clock.current(),
  }));

  onChange(
    messages.createSubscription,
    (s, args) => {
      if (args.accountId !== input.accountId || args.command.subscriptionId !== input.subscriptionId) {
        throw resourceMissing('subscription', args.command.subscriptionId);
      }
      if (!s) assertCanCreateSubscription(args.command, now());
    },
    // A retried create (same id) answers with what the first one made.
    (s, args) => s ?? create(args.command, now(), ids),
  );
  onChange(
    messages.updateSubscription,
    (_s, args) => assertCanUpdateSubscription(current(args), args.command, now()),
    (_s, args) => update(current(args), args.command, now(), ids),
  );
  onChange(
    messages.cancelSubscription,
    (_s, args) => assertCanCancel(current(args)),
    (_s, args) => cancel(current(args), now(), { prorate: args.prorate, invoiceNow: args.invoiceNow }, ids),
  );

  setHandler(messages.subscriptionInvoiceChanged, (signal) => {
    void exclusive(async () => {
      if (!state || signal.accountId !== input.accountId) return;
      const followed = applyInvoiceOutcome(state, signal, now(), ids);
      if (followed) await commit(followed, { accountId: input.accountId });
    });
  });

  setHandler(clockAdvanced, (signal) => {
    if (clock.advanced(signal)) wakeups++;
  });

  const system: Caller = { accountId: input.accountId };

  async function act(s: SubscriptionState, deadline: SubscriptionDeadline): Promise<void> {
    switch (deadline.action) {
      case 'renew':
        await carryOut(renewSubscription(s, ids), system);
        return;
      case 'cancel':
        await carryOut(cancel(s, deadline.at, {}, ids), system);
        return;
      case 'upcoming':
        await activities.announceUpcomingInvoice({ subscription: s, eventId: ids('evt'), at: deadline.at });
        await commit(
          {
            state: { ...s, upcomingNotifiedFor: s.currentPeriodEnd, version: s.version + 1 },
            events: [],
            pendingItems: [],
            invoice: null,
          },
          system,
        );
        return;
      case 'expire': {
        const expired = expireIncomplete(s, deadline.at, ids);
        await commit(expired, system);
        if (s.latestInvoiceId) {
          await activities.voidSubscriptionInvoice({ accountId: s.accountId, invoiceId: s.latestInvoiceId });
        }
        return;
      }
    }
  }

  let published: string | null = null;
  function publishPlan(deadline: SubscriptionDeadline | null): void {
    const text = deadline
      ? `${deadline.action} at ${new Date(deadline.at * 1000).toISOString()}`
      : 'nothing scheduled';
    if (text === published) return;
    published = text;
    setCurrentDetails(`Next: ${text}${clock.bound ? ` (test clock ${clock.current()?.clockId})` : ''}`);
  }

  const nextDeadline = () => (state ? nextSubscriptionDeadline(state, settings.upcomingDays) : null);
  const continueAsNewNow = () => lock.idle && !clock.owesReport && workflowInfo().continueAsNewSuggested;

  // Started by a create that was then refused (update-with-start starts the workflow before its
  // validator runs): nothing will ever live here, so do not linger.
  if (!state && !(await condition(() => state !== null, ORPHAN_TIMEOUT))) {
    await condition(allHandlersFinished);
    return;
  }

  for (;;) {
    if ((state && isEnded(state) && lock.idle && !clock.owesReport) || continueAsNewNow()) break;
    const deadline = nextDeadline();
    publishPlan(deadline);
    if (deadline && deadline.at <= clock.horizon()) {
      await exclusive(async () => {
        const due = nextDeadline();
        if (!state || !due || due.at > clock.horizon()) return;
        const s = state;
        try {
          await clock.actingAtDeadline(due.at, () => act(s, due));
        } catch (error) {
          log.error('subscription action failed', { action: due.action, error: String(error) });
          throw error;
        }
      });
      continue;
    }
    if (clock.owesReport && lock.idle) {
      await clock.reportCaughtUp();
      continue;
    }
    const seen = wakeups;
    const woken = () => wakeups !== seen || (clock.owesReport && lock.idle) || continueAsNewNow();
    if (!deadline || clock.bound) await condition(woken);
    else await condition(woken, Math.max(1, deadline.at * 1000 - Date.now()));
  }

  await condition(allHandlersFinished);
  if (clock.owesReport) await clock.reportCaughtUp();
  // An ended subscription's workflow completes; its projection keeps answering reads.
  if (state && isEnded(state)) return;
  await continueAsNew<typeof subscriptionWorkflow>({
    ...input,
    state: state ?? undefined,
    clock: clock.current(),
  });
}
