// A subscription workflow's side effects: its projection, events and pending prorations in one
// transaction; the invoices it makes (each its own invoice workflow, through the same
// update-with-start the API uses); invoice.upcoming; voiding an expired first invoice.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { ActivityDeps } from './deps';
import { startInvoice, updateInvoiceWorkflow } from '../workflows/client/invoice-workflows';
import { invoiceStartFor } from '../db/repositories/invoice-start';
import { findCustomer } from '../db/repositories/customers';
import { pendingItemLines } from '../db/repositories/invoice-item-claims';
import { insertInvoiceItem } from '../db/repositories/invoice-items';
import { insertEvents, type EventRequest } from '../db/repositories/invoices';
import { writeSubscriptionProjection } from '../db/repositories/subscriptions';
import { insertAdvanceWorkflows } from '../db/repositories/test-clocks';
import { customerSnapshot } from '../workflows/domain/customer';
import { seededRandom, createIdFactory } from '../workflows/domain/ids';
import type { InvoiceItemRecord } from '../workflows/domain/invoice-item';
import {
  itemTaxRates,
  previewInvoice,
  renewalRequest,
  subscriptionInvoiceDiscounts,
  subscriptionLineInput,
} from '../workflows/domain/invoice-preview';
import { renderInvoice } from '../workflows/domain/render/invoice';
import { renderSubscription } from '../workflows/domain/render/subscription';
import type { InvoiceOutcome } from '../workflows/domain/subscription-lifecycle';
import type {
  InvoiceRequest,
  PendingProration,
  SubscriptionState,
} from '../workflows/domain/subscription-types';
import type { DomainEvent, InvoiceState } from '../workflows/domain/types';
import {
  clockJoined,
  getInvoice,
  invoiceWorkflowId,
  payInvoice,
  sendInvoice,
  testClockWorkflowId,
  voidInvoice,
  type ClockAdvancedSignal,
  type ClockBinding,
} from '../workflows/messages';

export interface SubscriptionChange {
  state: SubscriptionState;
  events: DomainEvent[];
  pendingItems: PendingProration[];
  request: EventRequest;
  now: number;
}

function prorationItem(state: SubscriptionState, line: PendingProration, now: number): InvoiceItemRecord {
  return {
    id: line.invoiceItemId,
    accountId: state.accountId,
    customerId: state.customerId,
    invoiceId: null,
    lineId: null,
    amount: line.amount,
    currency: state.currency,
    description: line.description,
    quantity: line.quantity,
    unitAmountDecimal: line.unitAmountDecimal,
    period: { ...line.period },
    discountable: false,
    proration: true,
    metadata: {},
    date: now,
    testClockId: state.testClockId,
    subscriptionId: state.id,
    priceId: line.priceId,
    productId: line.productId,
    deleted: false,
  };
}

function outcomeOf(state: InvoiceState, failed: boolean): InvoiceOutcome {
  return { invoiceId: state.id, status: state.status, paymentFailed: failed && state.status === 'open' };
}

export function createSubscriptionActivities({ db, temporal, taskQueue }: ActivityDeps) {
  // An invoice made during a test clock advance: the clock waits for it as well. Done before
  // the subscription reports back, so the advance cannot finish first. The invoice started
  // knowing the advance (marked signalled: a retried wake must not tell it again).
  async function joinAdvance(workflows: Client, advance: ClockAdvancedSignal, invoiceId: string) {
    const workflowId = invoiceWorkflowId(invoiceId);
    if (advance.reportInPostgres) {
      const ids = { clockId: advance.clockId, advanceId: advance.advanceId, workflowIds: [workflowId] };
      await insertAdvanceWorkflows(db, { ...ids, signalled: true });
      return;
    }
    // An advance begun before the count moved to Postgres waits for this signal.
    await workflows.workflow
      .getHandle(testClockWorkflowId(advance.clockId))
      .signal(clockJoined, { advanceId: advance.advanceId, workflowId });
  }

  function client() {
    if (!temporal || !taskQueue) throw new Error('subscription activities need a Temporal client');
    return { temporal, taskQueue };
  }

  return {
    // Idempotent: a retry finds its version stored and writes nothing more.
    async persistSubscription(change: SubscriptionChange): Promise<void> {
      await db.transaction(async (trx) => {
        if (!(await writeSubscriptionProjection(trx, change.state))) return;
        const object = renderSubscription(change.state) as unknown as Record<string, unknown>;
        await insertEvents(
          trx,
          change.state.accountId,
          change.state.id,
          change.events,
          object,
          change.request,
        );
        for (const line of change.pendingItems) {
          await insertInvoiceItem(trx, prorationItem(change.state, line, change.now), change.request);
        }
      });
    },

    // Makes the invoice (a retry reaches the same workflow by its id) and, for a first invoice
    // or always_invoice, finalizes and collects it at once. Null: nothing to invoice.
    async issueSubscriptionInvoice(input: {
      subscription: SubscriptionState;
      invoice: InvoiceRequest;
      clock: ClockBinding | null;
      pendingAdvance: ClockAdvancedSignal | null;
      request: EventRequest;
    }): Promise<InvoiceOutcome | null> {
      const { temporal: workflows, taskQueue: queue } = client();
      const sub = input.subscription;
      const customer = await findCustomer(db, sub.accountId, sub.customerId);
      if (!customer) throw new Error(`customer ${sub.customerId} of ${sub.id} is gone`);
      if (input.invoice.lines.length === 0) {
        const pending = await pendingItemLines(db, {
          accountId: sub.accountId,
          customerId: sub.customerId,
          currency: sub.currency,
          subscriptionId: sub.id,
        });
        if (pending.length === 0) return null;
      }
      const start = await invoiceStartFor(db, sub.accountId, customer, input.clock);
      const caller = {
        accountId: sub.accountId,
        requestId: input.request.id,
        idempotencyKey: input.request.idempotencyKey,
      };
      const created = await startInvoice(
        workflows,
        queue,
        {
          ...caller,
          command: {
            invoiceId: input.invoice.invoiceId,
            accountId: sub.accountId,
            customerId: sub.customerId,
            currency: sub.currency,
            customer: customerSnapshot(customer),
            livemode: sub.livemode,
            testClockId: sub.testClockId,
            autoAdvance: true,
            collectionMethod: sub.collectionMethod,
            daysUntilDue: sub.collectionMethod === 'send_invoice' ? sub.daysUntilDue : undefined,
            defaultPaymentMethod: sub.defaultPaymentMethod,
            billingReason: input.invoice.billingReason,
            subscriptionId: sub.id,
            periodStart: input.invoice.periodStart,
            periodEnd: input.invoice.periodEnd,
            lines: input.invoice.lines.map((line) =>
              subscriptionLineInput(line, sub.id, itemTaxRates(sub, line)),
            ),
            defaultTaxRates: sub.defaultTaxRates,
            discounts: subscriptionInvoiceDiscounts(sub, input.invoice.lines),
          },
          includePendingItems: true,
          subscriptionId: sub.id,
        },
        { ...start, pendingAdvance: input.pendingAdvance },
      );
      if (input.pendingAdvance) await joinAdvance(workflows, input.pendingAdvance, input.invoice.invoiceId);
      if (!input.invoice.collectNow || created.status !== 'draft') return outcomeOf(created, false);
      try {
        const collected =
          sub.collectionMethod === 'send_invoice'
            ? await updateInvoiceWorkflow(workflows, created.id, sendInvoice, caller)
            : await updateInvoiceWorkflow(workflows, created.id, payInvoice, { ...caller, offSession: true });
        return outcomeOf(collected, false);
      } catch (error) {
        // A decline (or no payment method) is an outcome: the invoice stays open.
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
        const now = await workflows.workflow.getHandle(invoiceWorkflowId(created.id)).query(getInvoice);
        return outcomeOf(now ?? created, true);
      }
    },

    // invoice.upcoming: the renewal invoice as it stands now (pending items included).
    async announceUpcomingInvoice(input: { subscription: SubscriptionState; eventId: string; at: number }) {
      const sub = input.subscription;
      const customer = await findCustomer(db, sub.accountId, sub.customerId);
      if (!customer) return;
      const pendingLines = await pendingItemLines(db, {
        accountId: sub.accountId,
        customerId: sub.customerId,
        currency: sub.currency,
        subscriptionId: sub.id,
      });
      const preview = previewInvoice(
        {
          accountId: sub.accountId,
          customerId: sub.customerId,
          currency: sub.currency,
          customer: customerSnapshot(customer),
          livemode: sub.livemode,
          testClockId: sub.testClockId,
          subscription: sub,
          request: renewalRequest(sub),
          pendingLines,
        },
        input.at,
        createIdFactory(seededRandom(input.eventId)),
      );
      const object = renderInvoice(preview) as unknown as Record<string, unknown>;
      await insertEvents(
        db,
        sub.accountId,
        sub.id,
        [{ id: input.eventId, type: 'invoice.upcoming', created: input.at }],
        object,
      );
    },

    async voidSubscriptionInvoice(input: { accountId: string; invoiceId: string }): Promise<void> {
      const { temporal: workflows } = client();
      try {
        await updateInvoiceWorkflow(workflows, input.invoiceId, voidInvoice, { accountId: input.accountId });
      } catch (error) {
        // Paid or voided meanwhile: nothing to void.
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      }
    },
  };
}
