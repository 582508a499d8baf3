// Every response body the tests receive is checked against the stripe package's schemas
// (stripe-schema/): this module collects the checks of one test file. conformance-setup.ts
// feeds it from every official client and every fetch, the webhook receiver from every payload,
// and fails the test that received a body with an unexplained difference.
import { writeConformanceCounts } from './conformance-counts';
import { checkStripeBody, formatProblem } from './stripe-schema/check-body';

const pending: string[] = [];
const counts: Record<string, number> = {};
let bodies = 0;

// `source` says where the body came from (`POST /v1/invoices`, `webhook /hook`).
export function recordStripeBody(body: unknown, source: string): void {
  const { objects, problems } = checkStripeBody(body);
  bodies += 1;
  for (const object of objects) counts[object] = (counts[object] ?? 0) + 1;
  for (const problem of problems) pending.push(`${source}: ${formatProblem(problem)}`);
}

// The differences found since the last call, each once.
export function takeConformanceProblems(): string[] {
  const problems = [...new Set(pending)];
  pending.length = 0;
  return problems;
}

export function flushConformanceCounts(): void {
  writeConformanceCounts({ bodies, objects: counts });
}
