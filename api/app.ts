// createApp(deps) builds the Express app without listening, so tests mount it on any port.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from './deps';
import { LIVENESS_BODY, postgresCheck, readinessBody, readinessProbe, temporalCheck } from '../worker/health';
import { newId } from '../db/random-ids';
import { DomainError } from '../workflows/domain/errors';
import { authenticate } from './stripe/auth';
import { idempotency } from './stripe/idempotency';
import { rateLimit } from './stripe/rate-limit';
import { createLogger, requestLog } from './logger';
import { httpMetrics } from './metrics';
import { sendError, toErrorData } from './stripe/errors';
import { FormParseError, parseForm } from './stripe/form';
import { searchRoutes } from './routes/search';
import { customerRoutes } from './routes/customers';
import { invoiceRoutes } from './routes/invoices';
import { paymentIntentRoutes } from './routes/payment-intents';
import { collectionSettingsRoutes } from './routes/collection-settings';
import { balanceTransactionRoutes } from './routes/balance-transactions';
import { eventRoutes } from './routes/events';
import { invoiceItemRoutes } from './routes/invoice-items';
import { webhookEndpointRoutes } from './routes/webhook-endpoints';
import { testClockRoutes } from './routes/test-clocks';
import { hostedInvoiceRoutes } from './routes/hosted-invoice';
import { publicUrlContext } from './hosted/public-url';
import { subscriptionRoutes } from './routes/subscriptions';
import { subscriptionItemRoutes } from './routes/subscription-items';
import { invoicePreviewRoutes } from './routes/invoice-preview';
import { productRoutes } from './routes/products';
import { priceRoutes } from './routes/prices';
import { taxRateRoutes } from './routes/tax-rates';
import { couponRoutes } from './routes/coupons';
import { promotionCodeRoutes } from './routes/promotion-codes';
import { creditNoteRoutes } from './routes/credit-notes';
import { invoicePaymentRoutes } from './routes/invoice-payments';
import { hostedAuthenticationRoutes } from './routes/hosted-authentication';
import { paymentMethodRoutes } from './routes/payment-methods';
import { refundRoutes } from './routes/refunds';

function requestId(_req: Request, res: Response, next: NextFunction): void {
  const id = newId('req');
  res.locals.requestId = id;
  res.setHeader('Request-Id', id);
  next();
}

function formBody(maxBodyBytes: number) {
  const raw = express.raw({ type: () => true, limit: maxBodyBytes });
  return (req: Request, res: Response, next: NextFunction): void => {
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      try {
        req.body = text ? parseForm(text) : {};
        next();
      } catch (parseError) {
        next(parseError);
      }
    });
  };
}

export function createApp(deps: AppDeps): express.Express {
  const logger = deps.logger ?? createLogger();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', (text: string) => parseForm(text));
  // Liveness and readiness first: no key, no rate limit, no log line per probe.
  const probe = readinessProbe([
    postgresCheck(deps.db),
    temporalCheck(deps.temporal.connection),
    ...(deps.readinessChecks ?? []),
  ]);
  app.get('/healthz', (_req: Request, res: Response) => {
    res.status(200).set('Cache-Control', 'no-store').type('json').send(LIVENESS_BODY);
  });
  app.get('/readyz', async (_req: Request, res: Response) => {
    const { status, body } = readinessBody(await probe());
    res.status(status).set('Cache-Control', 'no-store').type('json').send(body);
  });
  app.use(httpMetrics());
  app.use(requestId);
  app.use(requestLog(logger));
  app.use(formBody(deps.maxBodyBytes ?? 1024 * 1024));
  app.use(publicUrlContext(deps.publicUrl));
  // The customer-facing pages (/i/:token...): no API key, the token is the capability.
  app.use(hostedInvoiceRoutes(deps));
  app.use(hostedAuthenticationRoutes(deps)); // after it: its /i security headers apply
  app.use('/v1', authenticate(deps.db));
  app.use('/v1', rateLimit(deps.rateLimit));
  app.use('/v1', idempotency(deps.db, logger));
  // Before the customer and invoice routes: their '/:id' would take 'search' for an id.
  app.use('/v1', searchRoutes(deps));
  app.use('/v1', invoicePreviewRoutes(deps)); // before '/invoices/:id'
  app.use('/v1', paymentMethodRoutes(deps)); // before '/customers/:id'
  app.use('/v1', customerRoutes(deps));
  app.use('/v1', invoiceRoutes(deps));
  app.use('/v1', paymentIntentRoutes(deps));
  app.use('/v1', refundRoutes(deps));
  app.use('/v1', collectionSettingsRoutes(deps));
  app.use('/v1', balanceTransactionRoutes(deps));
  app.use('/v1', eventRoutes(deps));
  app.use('/v1', invoiceItemRoutes(deps));
  app.use('/v1', webhookEndpointRoutes(deps));
  app.use('/v1', testClockRoutes(deps));
  app.use('/v1', subscriptionRoutes(deps));
  app.use('/v1', subscriptionItemRoutes(deps));
  app.use('/v1', productRoutes(deps));
  app.use('/v1', priceRoutes(deps));
  app.use('/v1', taxRateRoutes(deps));
  app.use('/v1', couponRoutes(deps));
  app.use('/v1', promotionCodeRoutes(deps));
  app.use('/v1', creditNoteRoutes(deps));
  app.use('/v1', invoicePaymentRoutes(deps));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(
      new DomainError({
        status: 404,
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      }),
    );
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const bodyError = error as { type?: string; status?: number };
    if (bodyError?.type === 'entity.too.large') {
      return sendError(res, {
        status: 413,
        type: 'invalid_request_error',
        message: 'Request body too large.',
      });
    }
    if (error instanceof FormParseError || bodyError?.type === 'encoding.unsupported') {
      return sendError(res, {
        status: 400,
        type: 'invalid_request_error',
        message: `Invalid request body: ${(error as Error).message}`,
        param: error instanceof FormParseError ? error.param : undefined,
      });
    }
    const data = toErrorData(error);
    if (data.status >= 500)
      logger.error({ err: error, requestId: res.locals.requestId as string }, 'request failed');
    sendError(res, data);
  });
  return app;
}
