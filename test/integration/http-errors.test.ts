// What Node's HTTP parser refuses before Express runs still gets Stripe's error object.
import net from 'node:net';
import { recordStripeBody } from '../support/conformance';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// One raw request on its own connection; answers the whole response text.
function rawRequest(bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(stack.api.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

// The body, checked against the stripe package's types like every other body the tests get.
function bodyOf(response: string): unknown {
  const body: unknown = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
  recordStripeBody(body, 'raw socket');
  return body;
}

describe('requests the HTTP parser refuses', () => {
  it('answers a URL over 16 KB with 431 and a Stripe error', async () => {
    const path = `/v1/customers?email=${'a'.repeat(20_000)}`;
    const response = await rawRequest(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(response.startsWith('HTTP/1.1 431')).toBe(true);
    expect(bodyOf(response)).toEqual({
      error: { type: 'invalid_request_error', message: expect.any(String) },
    });
  });

  it('answers bytes that are not HTTP with 400 and a Stripe error', async () => {
    const response = await rawRequest(
      Buffer.from([0x47, 0x45, 0x54, 0x20, 0x2f, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]),
    );
    expect(response.startsWith('HTTP/1.1 400')).toBe(true);
    expect(bodyOf(response)).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('keeps serving afterwards', async () => {
    expect((await stack.stripe.customers.list()).object).toBe('list');
  });
});
