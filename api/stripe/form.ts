// Stripe's wire encoding: application/x-www-form-urlencoded with bracket notation, in bodies
// and in query strings alike (`metadata[k]=v`, `expand[0]=customer`, `lines[3][amount]=5`).
import qs from 'qs';

export class FormParseError extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

// Strict percent-decoding: qs's own decoder keeps a malformed sequence (`%FF`, `%E0%A4`, a lone
// surrogate) as literal text, which would store mojibake: the caller's mistake, 400.
function decode(text: string, _default?: unknown, _charset?: unknown, type?: 'key' | 'value'): string {
  let value: string;
  try {
    value = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new FormParseError(`malformed percent-encoding or invalid UTF-8 in "${text.slice(0, 40)}"`);
  }
  // In a name, qs would drop what follows the brackets: refuse it here (values are checked after
  // parsing, where their parameter can be named).
  if (type === 'key' && value.includes('\u0000')) {
    throw new FormParseError('NUL characters are not allowed in parameter names');
  }
  return value;
}

// Postgres cannot store NUL at all (a 500 otherwise): refused, naming the parameter it is in.
function refuseNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      throw new FormParseError(
        `Invalid ${path || 'parameter'}: NUL characters are not allowed`,
        path || undefined,
      );
    }
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000'))
        throw new FormParseError('NUL characters are not allowed in parameter names');
      refuseNul(inner, path ? `${path}[${key}]` : key);
    }
  }
}

const OPTIONS: qs.IParseOptions = {
  depth: 8, // deeper brackets than any Stripe parameter uses are refused as unknown shapes
  arrayLimit: 1000, // indices up to this stay arrays (invoices take up to 250 lines at once)
  parameterLimit: 5000,
  allowPrototypes: false,
  plainObjects: true,
  strictDepth: true, // deeper nesting throws instead of being silently flattened
  charset: 'utf-8',
  throwOnLimitExceeded: true,
  decoder: decode,
};

// `text` is null for a URL without a query string (express's query parser passes it on).
export function parseForm(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  // Raw bytes that were not UTF-8 arrive as U+FFFD (the body is decoded before parsing).
  if (text.includes('\uFFFD')) throw new FormParseError('the body is not valid UTF-8');
  try {
    const parsed = qs.parse(text, OPTIONS) as Record<string, unknown>;
    refuseNul(parsed, '');
    return parsed;
  } catch (error) {
    if (error instanceof FormParseError) throw error;
    throw new FormParseError(error instanceof Error ? error.message : String(error));
  }
}
