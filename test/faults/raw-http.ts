// Requests below the official client: any method, any path bytes, any body bytes, so tests can
// send what no well-behaved client would (invalid UTF-8, 2 MB bodies, broken encodings).
import http from 'node:http';
import { recordStripeBody } from '../support/conformance';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RawRequest {
  method: string;
  path: string; // already encoded; latin1 characters go on the wire as single raw bytes
  body?: Buffer | string;
  key?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: {
          ...(request.key ? { Authorization: `Bearer ${request.key}` } : {}),
          ...(body
            ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length }
            : {}),
          ...request.headers,
        },
        timeout: request.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: the assertions say so
          }
          // Like every body the tests receive, checked against the stripe package's types.
          const isJson = String(res.headers['content-type']).includes('application/json');
          if (json !== undefined && isJson && request.path.startsWith('/v1/')) {
            recordStripeBody(json, `${request.method} ${request.path.slice(0, 80)} (raw)`);
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${request.method} ${request.path.slice(0, 80)} timed out`)),
    );
    // The server may answer (413) and close before it has read a huge body: keep the answer.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

// Stripe's error shape: {error: {type, message, ...}} with a known type.
export function isStripeError(json: unknown): boolean {
  const error = (json as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  return (
    typeof error?.type === 'string' &&
    ['api_error', 'card_error', 'idempotency_error', 'invalid_request_error', 'rate_limit_error'].includes(
      error.type,
    ) &&
    typeof error.message === 'string'
  );
}
