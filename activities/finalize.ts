import { isDeepStrictEqual } from 'node:util';
import { customerSnapshot } from '../workflows/domain/customer';
import { itemRowsUnchanged } from '../workflows/domain/invoice-item';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps';
import { findCustomer } from '../db/repositories/customers';
import { lockInvoiceRow } from '../db/repositories/invoices';
import { createInvoicePaymentIntent } from '../db/repositories/payments';
import { defaultPaymentOf } from '../workflows/domain/invoice-payment-records';
import { DomainError } from '../workflows/domain/errors';
import { createIdFactory, seededRandom } from '../workflows/domain/ids';
import * as invoice from '../workflows/domain/invoice';
import { invoiceNumber } from '../workflows/domain/numbering';
import type { InvoiceState } from '../workflows/domain/types';
import { toApplicationFailure } from '../workflows/domain-failure';
import { writeInvoiceChange } from './invoice-change';
import type { EventRequest } from '../db/repositories/invoices';

export interface FinalizeInput {
  state: InvoiceState;
  now: number;
  autoAdvance?: boolean;
  request: EventRequest;
}

export function createFinalizeActivities({ db, faults, customerFacing }: ActivityDeps) {
  return {
    // Finalization in one transaction with the customer row locked: the number comes from the
    // customer's sequence and the credit balance is read and moved once, even when two invoices
    // of one customer finalize at the same moment or this activity is retried after a commit.
    async finalizeInvoice({ state, now, autoAdvance, request }: FinalizeInput): Promise<InvoiceState> {
      try {
        const finalized = await db.transaction(async (trx) => {
          const stored = await lockInvoiceRow(trx, state.id);
          if (stored && stored.version > state.version) return stored.state;
          const customer = await findCustomer(trx, state.accountId, state.customerId, {
            forUpdate: true,
            includeDeleted: true,
          });
          if (!customer) throw ApplicationFailure.nonRetryable(`customer ${state.customerId} is gone`);
          const number = invoiceNumber(customer.invoicePrefix, customer.nextInvoiceSequence);
          // The first finalized invoice sets a customer's currency, as on Stripe; a balance held
          // in another currency does not apply to this invoice.
          await trx('customers')
            .where({ id: customer.id })
            .update({
              next_invoice_sequence: customer.nextInvoiceSequence + 1,
              currency: customer.currency ?? state.currency,
            });
          const customerBalance =
            (customer.currency ?? state.currency) === state.currency ? customer.balance : 0;
          // Ids seeded by invoice and version: a retry mints the same event and ledger ids.
          const ids = createIdFactory(seededRandom(`${state.id}:${state.version}:finalize`));
          const result = invoice.finalize(
            state,
            {
              number,
              customerBalance,
              autoAdvance,
              customer: customerSnapshot(customer),
            },
            now,
            ids,
          );
          // The rows were synced to the stored state; compared by value, `state` came by wire.
          const unchangedItems =
            stored !== null &&
            itemRowsUnchanged(stored.state, result.state, result.invoiceItemChanges, isDeepStrictEqual);
          await writeInvoiceChange(
            trx,
            { ...result, request, now, itemRowsUnchanged: unchangedItems },
            customerFacing?.publicUrl,
          );
          const own = defaultPaymentOf(result.state);
          if (own) {
            await createInvoicePaymentIntent(trx, state.accountId, {
              id: own.paymentIntentId,
              amount: own.amountRequested,
              currency: state.currency,
              customerId: state.customerId,
              invoiceId: state.id,
              paymentMethod: null,
              outcome: null,
              status: 'requires_payment_method',
              captureMethod: 'automatic',
              confirmationMethod: 'automatic',
              canceledAt: null,
              cancellationReason: null,
              latestCharge: null,
              amountReceived: null,
              metadata: {},
              description: null,
              created: now,
            });
          }
          return result.state;
        });
        await faults?.reach('finalizeInvoice:after-commit');
        return finalized;
      } catch (error) {
        if (error instanceof DomainError) throw toApplicationFailure(error);
        throw error;
      }
    },
  };
}
