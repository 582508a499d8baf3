import type Stripe from 'stripe';
import type { ChargeOutcome } from '../payment-methods';
import { statusAfterCharge, type CaptureMethod, type PaymentIntentStatus } from '../payment-intent';

export interface PaymentRecord {
  id: string; // pi_...
  amount: number;
  currency: string;
  customerId: string | null;
  invoiceId: string | null;
  paymentMethod: string | null;
  outcome: ChargeOutcome | null; // the last charge's; null before any
  status: PaymentIntentStatus;
  captureMethod: CaptureMethod;
  confirmationMethod: 'automatic' | 'manual';
  canceledAt: number | null;
  cancellationReason: string | null;
  latestCharge: string | null; // ch_... of the last charge
  amountReceived: number | null; // captured (manual capture may take less); null: all when succeeded
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  clientSecret?: string | null; // pi_..._secret_...; absent on rows made before it was kept
}

// A PaymentIntent as charges made it before PaymentIntents had a lifecycle of their own.
export function chargedPayment(
  fields: Omit<
    PaymentRecord,
    | 'status'
    | 'captureMethod'
    | 'confirmationMethod'
    | 'canceledAt'
    | 'cancellationReason'
    | 'latestCharge'
    | 'amountReceived'
  > & { outcome: ChargeOutcome },
  latestCharge: string | null = null,
): PaymentRecord {
  return {
    ...fields,
    status: statusAfterCharge(fields.outcome, 'automatic'),
    captureMethod: 'automatic',
    confirmationMethod: 'automatic',
    canceledAt: null,
    cancellationReason: null,
    latestCharge,
    amountReceived: null,
  };
}

// The test authentication page of a PaymentIntent that requires action (Stripe's test 3-D Secure
// page): complete or fail it there.
export function authenticationPath(paymentIntentId: string, token: string): string {
  return `/i/authenticate/${encodeURIComponent(paymentIntentId)}/${encodeURIComponent(token)}`;
}

function nextAction(payment: PaymentRecord, baseUrl: string | null): Stripe.PaymentIntent.NextAction | null {
  const token = payment.outcome?.status === 'requires_action' ? payment.outcome.actionToken : undefined;
  if (payment.status !== 'requires_action' || !token || !baseUrl) return null;
  return {
    type: 'redirect_to_url',
    redirect_to_url: { url: `${baseUrl}${authenticationPath(payment.id, token)}`, return_url: null },
  };
}

// A PaymentIntent of the test-mode processor as Stripe's. baseUrl: where the authentication page
// is (the API's public URL), for next_action.
export function renderPaymentIntent(
  payment: PaymentRecord,
  baseUrl: string | null = null,
): Stripe.PaymentIntent {
  const { outcome, status } = payment;
  return {
    id: payment.id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: payment.amount,
    amount_capturable: status === 'requires_capture' ? payment.amount : 0,
    amount_received: status === 'succeeded' ? (payment.amountReceived ?? payment.amount) : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: payment.canceledAt,
    cancellation_reason: payment.cancellationReason as Stripe.PaymentIntent.CancellationReason | null,
    capture_method: payment.captureMethod,
    client_secret: payment.clientSecret ?? null,
    confirmation_method: payment.confirmationMethod,
    created: payment.created,
    currency: payment.currency,
    customer: payment.customerId,
    customer_account: null,
    description: payment.description,
    excluded_payment_method_types: null,
    last_payment_error:
      outcome?.status === 'declined' && status === 'requires_payment_method'
        ? ({
            type: 'card_error',
            code: outcome.code,
            decline_code: outcome.declineCode,
            message: outcome.message,
          } as Stripe.PaymentIntent.LastPaymentError)
        : null,
    latest_charge: payment.latestCharge,
    livemode: false,
    managed_payments: null,
    metadata: payment.metadata,
    next_action: nextAction(payment, baseUrl),
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
    status,
    transfer_group: null,
  };
}
