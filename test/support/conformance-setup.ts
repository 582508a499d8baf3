// Jest setupFilesAfterEnv of `npm test` and the fault suite: no response body escapes the
// schema check. The stripe package's own HTTP clients (every `new Stripe(...)` a test makes)
// and the global fetch (tests' raw requests to /v1/...) hand each JSON body to
// recordStripeBody; a test that received a body with an unexplained difference fails after it.
// Unit tests (test/unit/) are left out: what they call is a test double, not our API.
import path from 'node:path';
import { flushConformanceCounts, recordStripeBody, takeConformanceProblems } from './conformance';

interface ClientResponse {
  toJSON(): Promise<unknown>;
}
interface HttpClientClass {
  prototype: { makeRequest(...args: unknown[]): Promise<ClientResponse> };
}

// The package's exports map hides its net/ folder; the files are beside its entry point, and
// the client built by `new Stripe(...)` uses these very classes (same module registry).
const stripeDir = path.dirname(require.resolve('stripe'));
const unitTests = `${path.sep}test${path.sep}unit${path.sep}`;
const checking = () => !(expect.getState().testPath ?? '').includes(unitTests);
function stripeClientClass(file: string, name: string): HttpClientClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file the exports map hides
  return (require(path.join(stripeDir, 'net', file)) as Record<string, HttpClientClass>)[name]!;
}

for (const client of [
  stripeClientClass('NodeHttpClient.js', 'NodeHttpClient'),
  stripeClientClass('FetchHttpClient.js', 'FetchHttpClient'),
]) {
  const makeRequest = client.prototype.makeRequest;
  client.prototype.makeRequest = async function (this: unknown, ...args: unknown[]) {
    const response = await makeRequest.apply(this, args);
    const [, , requestPath, method] = args as string[];
    const toJSON = response.toJSON.bind(response);
    response.toJSON = async () => {
      const body = await toJSON();
      if (checking()) recordStripeBody(body, `${method} ${requestPath}`);
      return body;
    };
    return response;
  };
}

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const response = await originalFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input, 'http://relative.invalid');
  const isJson = response.headers.get('content-type')?.includes('application/json');
  if (url.pathname.startsWith('/v1/') && isJson && checking()) {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    let body: unknown;
    try {
      body = await response.clone().json();
    } catch {
      body = 'unparseable JSON'; // reported as not a JSON object
    }
    recordStripeBody(body, `${method} ${url.pathname} (fetch)`);
  }
  return response;
};

function failOnProblems(): void {
  const problems = takeConformanceProblems();
  if (problems.length > 0) {
    throw new Error(
      `Response bodies differ from the stripe package's types (explain a known lag in ` +
        `test/support/stripe-schema/allowances.ts, or fix the body):\n  ${problems.join('\n  ')}`,
    );
  }
}

afterEach(failOnProblems);
afterAll(() => {
  flushConformanceCounts();
  failOnProblems();
});
