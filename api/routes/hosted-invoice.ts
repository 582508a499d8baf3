// The customer-facing side of an invoice, outside /v1 and without an API key: the hosted page
// (GET /i/:token), its PDF (GET /i/:token/pdf) and its pay form (POST /i/:token/pay). The token
// (invoices.hosted_token) is the capability: it opens that one invoice and nothing else.
// Paying goes through the same payInvoice workflow update as POST /v1/invoices/:id/pay.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { findInvoiceByHostedToken, findSeller } from '../../db/repositories/hosted-invoices';
import { hostedPagePath } from '../../workflows/domain/render/invoice';
import { invoiceDocument, type InvoiceDocument } from '../../workflows/domain/render/invoice-document';
import type { InvoiceState } from '../../workflows/domain/types';
import { payInvoice } from '../../workflows/messages';
import { findPayment } from '../../db/repositories/payments';
import { defaultPaymentOf } from '../../workflows/domain/invoice-payment-records';
import { authenticationPath } from '../../workflows/domain/render/payment-intent';
import { renderInvoicePdf } from '../../workflows/pdf/invoice-pdf';
import { toErrorData } from '../stripe/errors';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { renderInvoicePage, renderNotFoundPage } from '../hosted/invoice-page';
import { currentPublicUrl, originOf } from '../hosted/public-url';
import { isCrossSitePost } from '../hosted/same-origin';
import { hostedSecurityHeaders } from '../hosted/security-headers';
import { isTestPaymentMethod, testCardOptions } from '../hosted/test-cards';

function pageUrlOf(req: Request, token: string): string {
  return `${currentPublicUrl() ?? originOf(req)}${hostedPagePath(token)}`;
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}

function notFound(res: Response): void {
  sendHtml(res, 404, renderNotFoundPage(res.locals.cspNonce as string));
}

function sendPage(
  req: Request,
  res: Response,
  invoice: InvoiceDocument,
  options: { status?: number; error?: string | null; selected?: string } = {},
): void {
  const html = renderInvoicePage({
    invoice,
    pageUrl: pageUrlOf(req, req.params.token as string),
    nonce: res.locals.cspNonce as string,
    paymentMethods: testCardOptions(options.selected),
    error: options.error ?? null,
  });
  sendHtml(res, options.status ?? 200, html);
}

// A-Z, digits, dot, dash and underscore: safe inside a quoted Content-Disposition filename.
function pdfFilename(number: string): string {
  return `Invoice-${number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}

export function hostedInvoiceRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();
  router.use('/i', hostedSecurityHeaders);

  // The authentication page of the invoice's own PaymentIntent, when its charge requires action.
  async function authenticationUrlOf(req: Request, invoiceId: string): Promise<string | null> {
    const state = await findInvoiceByHostedToken(db, req.params.token as string);
    const own = state && state.id === invoiceId ? defaultPaymentOf(state) : null;
    const payment = own ? await findPayment(db, state?.accountId as string, own.paymentIntentId) : null;
    const token = payment?.outcome?.status === 'requires_action' ? payment.outcome.actionToken : undefined;
    if (!payment || !token) return null;
    return `${currentPublicUrl() ?? originOf(req)}${authenticationPath(payment.id, token)}`;
  }

  async function load(req: Request): Promise<{ state: InvoiceState; invoice: InvoiceDocument } | null> {
    const state = await findInvoiceByHostedToken(db, req.params.token as string);
    if (!state) return null;
    return { state, invoice: invoiceDocument(state, await findSeller(db, state.accountId)) };
  }

  router.get('/i/:token', async (req, res) => {
    const found = await load(req);
    if (!found) return notFound(res);
    sendPage(req, res, found.invoice);
  });

  router.get('/i/:token/pdf', async (req, res) => {
    const found = await load(req);
    if (!found) return notFound(res);
    const pdf = await renderInvoicePdf(found.invoice);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${pdfFilename(found.invoice.number)}"`);
    res.send(pdf);
  });

  router.post('/i/:token/pay', async (req, res) => {
    const found = await load(req);
    if (!found) return notFound(res);
    const { state, invoice } = found;
    if (isCrossSitePost(req, currentPublicUrl())) {
      return sendPage(req, res, invoice, {
        status: 403,
        error: 'This payment form must be sent from its own page.',
      });
    }
    // Paid already (a second click, a refresh): the receipt is what the customer wants to see.
    if (!invoice.payable) return res.redirect(303, pageUrlOf(req, req.params.token as string));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const paymentMethod = body.payment_method;
    if (!isTestPaymentMethod(paymentMethod)) {
      return sendPage(req, res, invoice, { status: 400, error: 'Choose one of the test cards to pay with.' });
    }
    try {
      await updateInvoiceWorkflow(temporal, state.id, payInvoice, {
        accountId: state.accountId,
        requestId: res.locals.requestId as string,
        idempotencyKey: null,
        paymentMethod,
      });
    } catch (error) {
      const data = toErrorData(error);
      if (data.status >= 500) throw error;
      // Needs the customer's authentication: to the test authentication page, back here after.
      const authentication =
        data.code === 'invoice_payment_intent_requires_action'
          ? await authenticationUrlOf(req, state.id)
          : null;
      if (authentication) return res.redirect(303, authentication);
      // A decline (card_error) or a state that no longer allows paying: the page as it is now.
      const current = (await load(req))?.invoice ?? invoice;
      return sendPage(req, res, current, {
        status: data.type === 'card_error' ? 402 : 409,
        error: data.message,
        selected: paymentMethod,
      });
    }
    res.redirect(303, pageUrlOf(req, req.params.token as string));
  });

  return router;
}
