// Headers for the customer-facing pages: nothing runs on them (no scripts at all), the one
// stylesheet is inline and allowed by a per-response nonce, forms post only to this origin,
// no other site may frame them, and the capability URL never leaks through Referer or caches.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export function hostedSecurityHeaders(req: Request, res: Response, next: NextFunction): void {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Same-origin only: the capability URL never reaches another site, and our own form posts
  // keep their Origin header.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  next();
}
