// The public base URL of the hosted invoice pages, for hosted_invoice_url and invoice_pdf in
// every invoice the API renders. PUBLIC_URL when configured; otherwise the origin the caller
// reached this API at (what a test stack on a random port needs). presentInvoice is called
// from every invoice route, so the base travels with the request (AsyncLocalStorage) rather
// than through each of their signatures.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

const current = new AsyncLocalStorage<string>();

export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function publicUrlContext(configured: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    current.run((configured ?? originOf(req)).replace(/\/+$/, ''), next);
  };
}

// Null outside a request (scripts, tests calling presentInvoice directly): no hosted URLs.
export function currentPublicUrl(): string | null {
  return current.getStore() ?? null;
}
