// invoiceWorkflow: the single source of truth for one invoice. Every change arrives as an
// update: its validator refuses what the domain refuses (nothing is written), its handler
// applies the pure transition and waits for the projection to be persisted before answering.
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { resourceMissing, invalidRequest } from './domain/errors';
import { createIdFactory } from './domain/ids';
import { newDraft } from './domain/new-draft';
import { computeTotals } from './domain/totals';
import type { DomainEvent, InvoiceState } from './domain/types';
import { rethrowingDomainErrors } from './domain-failure';
import { createInvoice, getInvoice, type Caller, type InvoiceWorkflowInput } from './messages';
import {
  AccountId,
  AmountDue,
  Currency,
  CustomerId,
  InvoiceNumber,
  InvoiceStatus,
} from './search-attributes';

type Activities = ReturnType<typeof createActivities>;

const { persistInvoice } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Postgres may be away for a while: keep retrying, the write is idempotent by version.
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<void> {
  let state: InvoiceState | null = input.state ?? null;
  // Math.random is seeded per workflow run: ids made here are replay-safe.
  const ids = createIdFactory(Math.random);
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  let busy = false;
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  function requireInvoice(caller: Caller): InvoiceState {
    if (!state || state.deleted || caller.accountId !== input.accountId) {
      throw resourceMissing('invoice', input.invoiceId);
    }
    return state;
  }

  async function commit(next: InvoiceState, events: DomainEvent[]): Promise<InvoiceState> {
    await persistInvoice({ state: next, events });
    state = next;
    const totals = computeTotals(next);
    upsertSearchAttributes([
      { key: InvoiceStatus, value: next.deleted ? 'deleted' : next.status },
      { key: AmountDue, value: totals.amountDue },
      { key: InvoiceNumber, value: next.number },
    ]);
    return next;
  }

  setHandler(getInvoice, () => state);

  setHandler(
    createInvoice,
    (args) =>
      exclusive(async () => {
        // A retried create (same id) answers with what the first one made.
        if (state) return requireInvoice(args);
        const { state: draft, events } = newDraft(args.draft, nowSeconds(), ids);
        upsertSearchAttributes([
          { key: AccountId, value: draft.accountId },
          { key: CustomerId, value: draft.customerId },
          { key: Currency, value: draft.currency },
        ]);
        return commit(draft, events);
      }),
    {
      validator: (args) =>
        rethrowingDomainErrors(() => {
          if (args.accountId !== input.accountId || args.draft.invoiceId !== input.invoiceId) {
            throw invalidRequest('The invoice id does not match its workflow.');
          }
        }),
    },
  );

  // Deleted drafts end their workflow; every other invoice stays addressable for updates.
  await condition(() => state?.deleted === true && !busy);
  await condition(allHandlersFinished);
  void workflowInfo;
}
