// Express glue: a route is an async function from the request to a Stripe object.
import type { NextFunction, Request, Response } from 'express';
import type { AccountRow } from '../../db/repositories/accounts';
import { accountOf } from './auth';
import { ClaimFirst, claimDeferredKey } from './idempotency';

export interface RouteContext {
  req: Request;
  res: Response;
  account: AccountRow;
  params: Record<string, string>;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
  requestId: string;
}

export function route(fn: (ctx: RouteContext) => Promise<unknown>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ctx = (): RouteContext => ({
      req,
      res,
      account: accountOf(res),
      params: req.params as Record<string, string>,
      body: (req.body ?? {}) as Record<string, unknown>,
      query: (req.query ?? {}) as Record<string, unknown>,
      requestId: res.locals.requestId as string,
    });
    try {
      let result: unknown;
      try {
        result = await fn(ctx());
      } catch (error) {
        // A deferred idempotency claim met an existing key, or the route is about to write
        // otherwise than in one statement: claim the key, then run the route from its start
        // (it has only read so far). Unless the key's first answer was replayed instead.
        if (!(error instanceof ClaimFirst)) throw error;
        if (!(await claimDeferredKey(res))) return;
        result = await fn(ctx());
      }
      res.status(200).json(result);
    } catch (error) {
      next(error);
    }
  };
}

// Stripe's client sends GET and DELETE parameters in the query string and the rest in the
// body; both places are read, as Stripe does.
export function inputOf(ctx: RouteContext): Record<string, unknown> {
  return { ...ctx.query, ...ctx.body };
}
