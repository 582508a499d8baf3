// The test authentication page of a PaymentIntent that requires action (Stripe's test 3-D Secure
// page): GET shows it, POST completes or fails the authentication. No API key: the token in the
// path (made with the charge, kept in its outcome) is the capability. A PaymentIntent of an
// invoice (its own, or attached and still open) is completed through the invoice's workflow,
// which credits the invoice in the same step; the customer then returns to the invoice's page.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { findHostedToken } from '../../db/repositories/hosted-invoices';
import { findInvoice } from '../../db/repositories/invoices';
import { completeActionStep } from '../../db/repositories/payment-intent-steps';
import { fromRow, type PaymentRow } from '../../db/repositories/payments';
import { paymentOfIntent } from '../../workflows/domain/invoice-payment-records';
import { escapeHtml } from '../../workflows/domain/render/escape-html';
import { hostedPagePath } from '../../workflows/domain/render/invoice';
import type { PaymentRecord } from '../../workflows/domain/render/payment-intent';
import { completePaymentAction } from '../../workflows/messages';
import { toErrorData } from '../stripe/errors';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { currentPublicUrl, originOf } from '../hosted/public-url';
import { isCrossSitePost } from '../hosted/same-origin';

function page(nonce: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style nonce="${escapeHtml(nonce)}">body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}form{display:inline-block;margin:0 .5rem 0 0}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #635bff;background:#635bff;color:#fff}button.fail{background:#fff;color:#c0123c;border-color:#c0123c}</style></head><body>${body}</body></html>`;
}

function money(payment: PaymentRecord): string {
  return `${(payment.amount / 100).toFixed(2)} ${payment.currency.toUpperCase()}`;
}

export function hostedAuthenticationRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  async function load(req: Request): Promise<{ row: PaymentRow; payment: PaymentRecord } | null> {
    const row = (await db('payments').where({ id: req.params.pi }).first()) as PaymentRow | undefined;
    const payment = row ? fromRow(row) : null;
    const token = payment?.outcome?.status === 'requires_action' ? payment.outcome.actionToken : undefined;
    if (!row || !payment || !token || token !== req.params.token) return null;
    return { row, payment };
  }

  function notFound(res: Response): void {
    const nonce = res.locals.cspNonce as string;
    res
      .status(404)
      .type('html')
      .send(page(nonce, 'Not found', '<h1>This page does not exist.</h1>'));
  }

  router.get('/i/authenticate/:pi/:token', async (req, res) => {
    const found = await load(req);
    if (!found) return notFound(res);
    const nonce = res.locals.cspNonce as string;
    const { payment } = found;
    if (payment.status !== 'requires_action') {
      return res
        .type('html')
        .send(page(nonce, 'Authentication', `<h1>Done</h1><p>Status: ${escapeHtml(payment.status)}.</p>`));
    }
    const form = (action: string, label: string, cls: string) =>
      `<form method="post"><input type="hidden" name="action" value="${action}"><button type="submit" class="${cls}" data-testid="${action}">${label}</button></form>`;
    res
      .type('html')
      .send(
        page(
          nonce,
          'Test payment authentication',
          `<h1>Test payment authentication</h1><p>${escapeHtml(money(payment))} with ${escapeHtml(payment.paymentMethod ?? 'a card')}: this test page stands for the bank's 3-D Secure check.</p>${form('complete', 'Complete authentication', '')}${form('fail', 'Fail authentication', 'fail')}`,
        ),
      );
  });

  router.post('/i/authenticate/:pi/:token', async (req, res) => {
    const found = await load(req);
    if (!found) return notFound(res);
    const nonce = res.locals.cspNonce as string;
    if (isCrossSitePost(req, currentPublicUrl())) {
      return res
        .status(403)
        .type('html')
        .send(page(nonce, 'Refused', '<h1>This form must be sent from its own page.</h1>'));
    }
    const { row, payment } = found;
    const succeed = (req.body as Record<string, unknown>)?.action === 'complete';
    const accountId = row.account_id;
    const state = payment.invoiceId ? await findInvoice(db, accountId, payment.invoiceId) : null;
    const record = state ? paymentOfIntent(state, payment.id) : null;
    if (state && !record && state.payments !== undefined) {
      // Being attached to an invoice right now: its invoice will move it; try again in a moment.
      return res
        .status(409)
        .type('html')
        .send(page(nonce, 'Authentication', '<h1>Please try again.</h1>'));
    }
    try {
      if (state && record?.status === 'open') {
        await updateInvoiceWorkflow(temporal, state.id, completePaymentAction, {
          accountId,
          requestId: res.locals.requestId as string,
          idempotencyKey: null,
          paymentIntentId: payment.id,
          succeed,
        });
      } else if (payment.status === 'requires_action') {
        const key = `${payment.id}:action:${req.params.token}`;
        const step = await db.transaction((trx) =>
          completeActionStep(trx, accountId, payment.id, {
            succeed,
            key,
            invoiceId: payment.invoiceId === null ? null : undefined,
          }),
        );
        if (step.status === 'refused') throw new Error(step.error.message);
      }
    } catch (error) {
      const data = toErrorData(error);
      if (data.status >= 500) throw error;
      return res
        .status(409)
        .type('html')
        .send(page(nonce, 'Authentication', `<h1>${escapeHtml(data.message)}</h1>`));
    }
    const hostedToken = state ? await findHostedToken(db, state.id) : null;
    if (hostedToken) {
      return res.redirect(303, `${currentPublicUrl() ?? originOf(req)}${hostedPagePath(hostedToken)}`);
    }
    res
      .type('html')
      .send(page(nonce, 'Authentication', `<h1>Authentication ${succeed ? 'completed' : 'failed'}</h1>`));
  });

  return router;
}
