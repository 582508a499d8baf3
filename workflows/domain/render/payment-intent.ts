import type Stripe from 'stripe';
import type { ChargeOutcome } from '../payment-methods';

export interface PaymentRecord {
  id: string; // pi_...
  amount: number;
  currency: string;
  customerId: string | null;
  invoiceId: string | null;
  paymentMethod: string;
  outcome: ChargeOutcome;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
}

const STATUS: Record<ChargeOutcome['status'], Stripe.PaymentIntent.Status> = {
  succeeded: 'succeeded',
  requires_action: 'requires_action',
  declined: 'requires_payment_method',
};

// A charge of the test-mode processor as Stripe's PaymentIntent (confirmed on creation).
export function renderPaymentIntent(payment: PaymentRecord): Stripe.PaymentIntent {
  const { outcome } = payment;
  return {
    id: payment.id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: payment.amount,
    amount_capturable: 0,
    amount_received: outcome.status === 'succeeded' ? payment.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: null,
    confirmation_method: 'automatic',
    created: payment.created,
    currency: payment.currency,
    customer: payment.customerId,
    customer_account: null,
    description: payment.description,
    excluded_payment_method_types: null,
    last_payment_error:
      outcome.status === 'declined'
        ? ({
            type: 'card_error',
            code: outcome.code,
            decline_code: outcome.declineCode,
            message: outcome.message,
          } as Stripe.PaymentIntent.LastPaymentError)
        : null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: payment.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: payment.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: STATUS[outcome.status],
    transfer_group: null,
  };
}
