// Structured logs (pino, one JSON object a line): one line per request, and the stack of every
// 5xx. Two guards keep secrets out: redaction of the fields that hold them, and a last scrub of
// each finished line for anything shaped like a secret key, a webhook secret, an Authorization
// value or a card number, wherever it hides (an error message, a nested object).
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED = '[Redacted]';

// Fields that hold secrets or card data, at the top level or one or two levels down.
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'secret',
  'secretKey',
  'apiKey',
  'password',
  'card',
  'cvc',
  'payment_method_data',
];
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'req.body',
  'body',
];

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(sk|rk)_(test|live)_[0-9A-Za-z_-]+/g, `$1_$2_${REDACTED}`],
  [/\bwhsec_[0-9A-Za-z_-]+/g, `whsec_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]+/gi, `$1 ${REDACTED}`],
];
// 13 to 19 digits, maybe grouped by spaces or dashes, not part of a longer word or number.
const CARD_NUMBER = /(?<![\w.:-])\d(?:[ -]?\d){12,18}(?![\w.])/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed.replace(CARD_NUMBER, (match) =>
    passesLuhn(match.replace(/[ -]/g, '')) ? `${REDACTED} card number` : match,
  );
}

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = 'info'): string {
  return env.LOG_LEVEL ?? fallback;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? logLevelFromEnv(),
    base: { service: 'invoicing-api' },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: pino.stdSerializers.err },
    hooks: { streamWrite: scrubSecrets },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

// One line per request when it ends (or is abandoned by the client). No bodies and no query
// strings: they carry customers' personal data, and the request id finds the rest.
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const status = res.statusCode;
      const line = {
        requestId: res.locals.requestId as string | undefined,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        accountId: (res.locals.account as { id?: string } | undefined)?.id,
        idempotencyKey: req.header('idempotency-key'),
        replayed: res.getHeader('Idempotent-Replayed') === 'true' || undefined,
        aborted: res.writableFinished ? undefined : true,
      };
      if (status >= 500) logger.error(line, 'request');
      else if (line.aborted) logger.warn(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
