// An explicit schema check for a body a test built or received: the differences from the
// stripe package's type of its `object` (after a JSON round trip, as on the wire), one line each.
// Every body the integration tests receive is checked anyway (conformance-setup.ts); this is for
// rendered objects in unit tests and for saying so where a test is about the shape.
import { checkStripeBody, formatProblem } from './stripe-schema/check-body';

export function stripeShapeProblems(body: unknown): string[] {
  return checkStripeBody(JSON.parse(JSON.stringify(body))).problems.map(formatProblem);
}

export function expectStripeShape(body: unknown): void {
  expect(stripeShapeProblems(body)).toEqual([]);
}
