// A local HTTP server standing in for webhook endpoints: every path is an endpoint; it records
// each request (raw body and headers, for signature checks) and answers as its path's
// responder says (200 by default). Each JSON payload is checked against the stripe package's
// event types (conformance.ts) like every response body.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordStripeBody } from './conformance';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number; // ms
}

// Gets the number of the request on this path (1-based); answers the status to send.
export type Responder = (attempt: number) => number | Promise<number>;

export interface WebhookReceiver {
  url(path: string): string;
  respond(path: string, responder: Responder): void;
  received(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const responders = new Map<string, Responder>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ path, headers: req.headers, body, at: Date.now() });
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined; // not a webhook payload: nothing to check
      }
      if (payload !== undefined) recordStripeBody(payload, `webhook ${path}`);
      const attempt = requests.filter((request) => request.path === path).length;
      void Promise.resolve((responders.get(path) ?? (() => 200))(attempt)).then((status) => {
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    respond: (path, responder) => responders.set(path, responder),
    received: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
