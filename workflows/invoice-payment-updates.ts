// The invoice's payment updates: pay (finalizing a draft first), attach a PaymentIntent, the
// steps of an attached PaymentIntent, and money received outside; registered on the invoice's
// workflow (./invoice.ts). How each collects or moves money: ./invoice-payment.ts.
import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import * as invoice from './domain/invoice';
import { assertAttachedIntentOpen, assertCanAttach } from './domain/invoice-attach';
import type { InvoiceState } from './domain/types';
import { rethrowingDomainErrors as domain } from './domain-failure';
import {
  attachPaymentIntent,
  cancelAttachedIntent,
  captureAttachedIntent,
  collectPayment,
  completeAttachedAction,
  confirmAttachedIntent,
} from './invoice-payment';
import * as messages from './messages';

type PaymentContext = Parameters<typeof confirmAttachedIntent>[2];

export interface PaymentUpdateContext {
  accountId: string;
  state(): InvoiceState | null;
  // The caller's invoice, or resource_missing.
  current(caller: messages.Caller): InvoiceState;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  finalizeNow(from: InvoiceState, caller: messages.Caller): Promise<InvoiceState>;
  payment: PaymentContext;
}

export function registerPaymentUpdates({
  accountId,
  state,
  current,
  exclusive,
  finalizeNow,
  payment,
}: PaymentUpdateContext): void {
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
        return collectPayment(s, args, payment);
      }),
    { validator: (args) => domain(() => invoice.assertCanPay(current(args))) },
  );

  setHandler(
    messages.attachPayment,
    (args) =>
      exclusive(async () => {
        const s = domain(() => {
          const before = current(args);
          assertCanAttach(before, args.paymentIntentId);
          return before;
        });
        return attachPaymentIntent(s, args, payment);
      }),
    { validator: (args) => domain(() => assertCanAttach(current(args), args.paymentIntentId)) },
  );

  // The steps of an attached PaymentIntent: each moves it and credits (or cancels) its invoice
  // payment in one step of this workflow, so its money is counted exactly once.
  function onIntentStep<A extends messages.Caller & { paymentIntentId: string }>(
    definition: UpdateDefinition<InvoiceState, [A]>,
    verb: string,
    run: (
      s: InvoiceState,
      args: A,
      ctx: Parameters<typeof confirmAttachedIntent>[2],
    ) => Promise<InvoiceState>,
    options: { orDefault?: boolean } = {},
  ): void {
    const assert = (args: A) => {
      const s = current(args);
      assertAttachedIntentOpen(s, args.paymentIntentId, verb, options);
      return s;
    };
    setHandler(
      definition,
      (args: A) =>
        exclusive(async () =>
          run(
            domain(() => assert(args)),
            args,
            payment,
          ),
        ),
      { validator: (args: A) => domain(() => void assert(args)) },
    );
  }
  onIntentStep(messages.confirmPaymentIntent, 'confirm', confirmAttachedIntent);
  onIntentStep(messages.completePaymentAction, 'authenticate', completeAttachedAction, { orDefault: true });
  onIntentStep(messages.cancelPaymentIntent, 'cancel', cancelAttachedIntent);
  onIntentStep(messages.capturePaymentIntent, 'capture', captureAttachedIntent);

  // Money received outside (an integration's signal): recorded like paid_out_of_band.
  setHandler(messages.paymentReceived, (signal) => {
    void exclusive(async () => {
      const s = state();
      if (!s || signal.accountId !== accountId || signal.amount <= 0) return;
      try {
        invoice.assertCanRecordPaymentSuccess(s, { amount: signal.amount, outOfBand: true });
      } catch {
        return; // a signal cannot be refused; one that does not apply changes nothing
      }
      await payment.commit(
        invoice.applyPaymentSucceeded(
          s,
          { amount: signal.amount, outOfBand: true },
          payment.now(),
          payment.ids,
        ),
        {
          accountId: signal.accountId,
          requestId: signal.reference ?? null,
        },
      );
    });
  });
}
