// Validation of form-decoded parameters against a per-endpoint schema. Form values arrive as
// strings (or nested objects/arrays of strings); each field turns its raw value into a typed one
// or throws a Stripe error naming the parameter in bracket notation (`lines[0][amount]`).
import { type DomainError, invalidRequest } from '../../workflows/domain/errors';

export type Raw = unknown;
export interface Field<T> {
  parse(raw: Raw, param: string): T;
  readonly required?: boolean;
}
export type Schema = Record<string, Field<unknown>>;
type FieldType<F> = F extends Field<infer T> ? T : never;
export type Infer<S extends Schema> = {
  [K in keyof S as S[K] extends { required: true } ? K : never]: FieldType<S[K]>;
} & {
  [K in keyof S as S[K] extends { required: true } ? never : K]?: FieldType<S[K]>;
};

const MAX_STRING = 5000;

function invalid(message: string, param: string, code?: string): DomainError {
  return invalidRequest(message, code, param);
}

function expectString(raw: Raw, param: string): string {
  if (typeof raw !== 'string') throw invalid(`Invalid ${param}: must be a string`, param);
  return raw;
}

function describe<T>(parse: (raw: Raw, param: string) => T): Field<T> {
  return { parse };
}

export function required<T>(field: Field<T>): Field<T> & { required: true } {
  return { parse: field.parse, required: true };
}

// Values that Stripe lets a caller unset with an empty string become null.
export function emptyable<T>(field: Field<T>): Field<T | null> {
  return describe((raw, param) => (raw === '' ? null : field.parse(raw, param)));
}

export function string(options: { maxLength?: number; allowEmpty?: boolean } = {}): Field<string> {
  const maxLength = options.maxLength ?? MAX_STRING;
  return describe((raw, param) => {
    const value = expectString(raw, param);
    if (value === '' && !options.allowEmpty) {
      throw invalid(
        `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
        param,
        'parameter_invalid_empty',
      );
    }
    if (value.length > maxLength) {
      throw invalid(
        `Invalid ${param}: must be at most ${maxLength} characters`,
        param,
        'parameter_invalid_string',
      );
    }
    return value;
  });
}

export function id(prefix: string): Field<string> {
  return describe((raw, param) => {
    const value = string({ maxLength: 255 }).parse(raw, param);
    if (!value.startsWith(`${prefix}_`) && !/^[A-Za-z0-9_]+$/.test(value)) {
      throw invalid(`Invalid ${param}: ${value}`, param);
    }
    return value;
  });
}

export function integer(options: { min?: number; max?: number } = {}): Field<number> {
  return describe((raw, param) => {
    const text = typeof raw === 'number' ? String(raw) : expectString(raw, param);
    if (!/^-?\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw invalid(`Invalid integer: ${text}`, param, 'parameter_invalid_integer');
    }
    const value = Number(text);
    if (options.min !== undefined && value < options.min) {
      throw invalid(
        `This value must be greater than or equal to ${options.min}.`,
        param,
        'parameter_invalid_integer',
      );
    }
    if (options.max !== undefined && value > options.max) {
      throw invalid(
        `This value must be less than or equal to ${options.max}.`,
        param,
        'parameter_invalid_integer',
      );
    }
    return value;
  });
}

export function decimalString(): Field<string> {
  return describe((raw, param) => {
    const text = expectString(raw, param);
    if (!/^-?\d{1,12}(\.\d{1,12})?$/.test(text)) throw invalid(`Invalid decimal: ${text}`, param);
    return text;
  });
}

// As Stripe's v1 API: `true` and `false` in any letter case (stripe-python before 8 and
// stripe-dotnet send `True`/`False`), nothing else (`1`, `0`, `yes` and '' are refused).
export function boolean(): Field<boolean> {
  return describe((raw, param) => {
    if (typeof raw === 'boolean') return raw;
    const text = typeof raw === 'string' ? raw.toLowerCase() : null;
    if (text === 'true') return true;
    if (text === 'false') return false;
    // Not String(raw): a nested value is a null-prototype object, which has no toString.
    throw invalid(`Invalid boolean: ${typeof raw === 'string' ? raw : 'a nested value'}`, param);
  });
}

export function oneOf<const T extends string>(values: readonly T[]): Field<T> {
  return describe((raw, param) => {
    const value = expectString(raw, param);
    if (!(values as readonly string[]).includes(value)) {
      throw invalid(`Invalid ${param}: must be one of ${values.join(', ')}`, param);
    }
    return value as T;
  });
}

// Stripe's limits: 50 keys, keys up to 40 characters, values up to 500 characters.
export function metadata(): Field<Record<string, string | null>> {
  return describe((raw, param) => {
    if (raw === '') return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid(`Invalid ${param}: must be an object`, param);
    }
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length > 50) throw invalid('Metadata can have up to 50 keys.', param);
    const result: Record<string, string | null> = {};
    for (const [key, value] of entries) {
      const keyParam = `${param}[${key}]`;
      if (key.length > 40 || key.length === 0) {
        throw invalid(
          `Metadata keys must be between 1 and 40 characters long: ${key.slice(0, 60)}`,
          keyParam,
        );
      }
      if (typeof value !== 'string') throw invalid(`Invalid ${keyParam}: must be a string`, keyParam);
      if (value.length > 500) throw invalid('Metadata values can have up to 500 characters.', keyParam);
      result[key] = value === '' ? null : value;
    }
    return result;
  });
}

// Arrays arrive as real arrays (`a[]=x`, small indices) or as objects keyed by index.
export function arrayOf<T>(item: Field<T>, options: { max?: number } = {}): Field<T[]> {
  return describe((raw, param) => {
    let values: unknown[];
    if (Array.isArray(raw)) values = raw;
    else if (typeof raw === 'object' && raw !== null) {
      const keys = Object.keys(raw);
      if (!keys.every((k) => /^\d+$/.test(k))) throw invalid(`Invalid array`, param);
      values = keys.sort((a, b) => Number(a) - Number(b)).map((k) => (raw as Record<string, unknown>)[k]);
    } else if (raw === '') values = [];
    else throw invalid(`Invalid array`, param);
    if (options.max !== undefined && values.length > options.max) {
      throw invalid(`Invalid ${param}: must have at most ${options.max} elements`, param);
    }
    return values.map((value, index) => item.parse(value, `${param}[${index}]`));
  });
}

export function object<S extends Schema>(schema: S): Field<Infer<S>> {
  return describe((raw, param) => parseParams(schema, raw, param));
}

export function parseParams<S extends Schema>(schema: S, raw: Raw, prefix = ''): Infer<S> {
  const name = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  if (raw === undefined || raw === null || raw === '') raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(`Invalid ${prefix}: must be an object`, prefix);
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      throw invalid(`Received unknown parameter: ${name(key)}`, name(key), 'parameter_unknown');
    }
  }
  const output: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    if (input[key] !== undefined) output[key] = field.parse(input[key], name(key));
    else if (field.required) {
      throw invalid(`Missing required param: ${name(key)}.`, name(key), 'parameter_missing');
    }
  }
  return output as Infer<S>;
}

// Parameters every endpoint accepts.
export const expandField = arrayOf(string({ maxLength: 200 }), { max: 20 });

// A unix timestamp as Stripe accepts one (up to the last second of year 9999).
export const timestampField = integer({ min: 0, max: 253_402_300_799 });
export const collectionMethodField = oneOf(['charge_automatically', 'send_invoice'] as const);
