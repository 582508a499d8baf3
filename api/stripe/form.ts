// Stripe's wire encoding: application/x-www-form-urlencoded with bracket notation, in bodies
// and in query strings alike (`metadata[k]=v`, `expand[0]=customer`, `lines[3][amount]=5`).
import qs from 'qs';

const OPTIONS: qs.IParseOptions = {
  depth: 8, // deeper brackets than any Stripe parameter uses are refused as unknown shapes
  arrayLimit: 1000, // indices up to this stay arrays (invoices take up to 250 lines at once)
  parameterLimit: 5000,
  allowPrototypes: false,
  plainObjects: true,
  strictDepth: true, // deeper nesting throws instead of being silently flattened
  charset: 'utf-8',
  throwOnLimitExceeded: true,
};

export class FormParseError extends Error {}

export function parseForm(text: string): Record<string, unknown> {
  try {
    return qs.parse(text, OPTIONS) as Record<string, unknown>;
  } catch (error) {
    throw new FormParseError(error instanceof Error ? error.message : String(error));
  }
}
