// The one list of known differences between our response bodies and the schemas generated from
// the stripe package's types (API 2026-10-28). Every other difference fails the test that
// received the body. An entry names the object, the path from that object (a JSON pointer, or
// a pattern), optionally ajv's keyword, and why the difference is right: either the body is
// not a Stripe object at all (our extensions), or Stripe's own types are known to lag the wire.
export interface Allowance {
  object: string;
  path: string | RegExp;
  keyword?: string;
  reason: string;
}

export const ALLOWANCES: readonly Allowance[] = [
  {
    object: 'collection_settings',
    path: '',
    keyword: 'object',
    reason:
      'GET/POST /v1/extensions/collection_settings is our extension (the automatic collection ' +
      "settings Stripe keeps in its Dashboard): Stripe's API has no such object.",
  },
  {
    object: 'event',
    path: /^\/data\/previous_attributes\/metadata(\/[^/]+)?$/,
    keyword: 'type',
    reason:
      'A metadata key that an update added has no previous value: Stripe sends it as null in ' +
      "`data.previous_attributes.metadata` (`{ metadata: { key: null } }`), while the package's " +
      'types say previous_attributes is Partial<T>, whose Metadata values are strings only.',
  },
];
