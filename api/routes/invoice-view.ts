// An invoice as the API answers it: rendered from the workflow's state, with expansions.
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import { findTestPaymentMethod } from '../../workflows/domain/payment-methods';
import { renderCustomer } from '../../workflows/domain/render/customer';
import { renderInvoice, type HostedLink, type InvoiceBody } from '../../workflows/domain/render/invoice';
import { hostedTokenLoader } from '../../db/repositories/hosted-invoices';
import { currentPublicUrl } from '../hosted/public-url';
import { renderPaymentMethod } from '../../workflows/domain/render/payment-method';
import { renderInvoicePaymentList } from '../../workflows/domain/render/invoice-payment';
import { renderDiscount } from '../../workflows/domain/render/coupon';
import type { InvoiceState } from '../../workflows/domain/types';
import { applyExpansions } from '../stripe/expand';
import type { Caller } from '../../workflows/messages';
import type { RouteContext } from '../stripe/handler';

type Mutable = Record<string, unknown> & InvoiceBody;

const tokenLoaders = new WeakMap<Database, (invoiceId: string) => Promise<string | null>>();

// hosted_invoice_url and invoice_pdf: the public base of this request and the invoice's token.
export async function hostedLinkOf(db: Database, state: InvoiceState): Promise<HostedLink | null> {
  const baseUrl = currentPublicUrl();
  if (!baseUrl || state.status === 'draft') return null;
  let load = tokenLoaders.get(db);
  if (!load) tokenLoaders.set(db, (load = hostedTokenLoader(db)));
  const token = await load(state.id);
  return token ? { baseUrl, token } : null;
}

export async function presentInvoice(
  db: Database,
  state: InvoiceState,
  expand?: string[],
): Promise<InvoiceBody> {
  const body = renderInvoice(state, { hosted: await hostedLinkOf(db, state) }) as Mutable;
  return applyExpansions<Mutable>(body, expand, {
    customer: async (invoice) => {
      const customer = await findCustomer(db, state.accountId, state.customerId, { includeDeleted: true });
      if (customer) invoice.customer = renderCustomer(customer);
    },
    // Not a line's invoice item: parent.invoice_item_details.invoice_item is a plain id in this
    // API version (Stripe.InvoiceLineItem), so expanding it is refused like any other path.
    // Stripe's Discount objects in place of their ids.
    discounts: async (invoice) => {
      const now = Math.floor(Date.now() / 1000);
      invoice.discounts = (state.discounts ?? []).map((discount) =>
        renderDiscount(discount, { invoice: state.id, subscription: state.subscriptionId }, now),
      );
    },
    // Includable: how the invoice is being paid (Stripe's InvoicePayment objects).
    payments: async (invoice) => {
      invoice.payments = renderInvoicePaymentList(state);
    },
    default_payment_method: async (invoice) => {
      const method = state.defaultPaymentMethod ? findTestPaymentMethod(state.defaultPaymentMethod) : null;
      if (method) invoice.default_payment_method = renderPaymentMethod(method, state.customerId);
    },
  });
}

export function callerOf(ctx: RouteContext): Caller {
  const key = ctx.req.header('idempotency-key');
  return { accountId: ctx.account.id, requestId: ctx.requestId, idempotencyKey: key ?? null };
}
