// The load generator's HTTP side: Stripe-style form requests over keep-alive connections,
// spread round-robin over the API processes (as a load balancer would), each call timed.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import qs from 'qs';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

export class BenchClient {
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  private readonly auth: string;

  // Like the official client, which sends a fresh Idempotency-Key with every POST.
  constructor(
    private readonly urls: string[],
    secretKey: string,
    private readonly idempotencyKeys = true,
  ) {
    this.auth = `Bearer ${secretKey}`;
  }

  // Throws ApiError on any non-2xx answer: the benchmark counts those as errors. A connection
  // the server closed as the request went out (its keep-alive timeout racing our reuse of the
  // socket) is retried with the same Idempotency-Key, as the official client retries.
  async call(method: 'GET' | 'POST' | 'DELETE', path: string, params: object = {}): Promise<Reply> {
    const key = method === 'POST' && this.idempotencyKeys ? randomUUID() : null;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, params, key);
      } catch (error) {
        const reset = (error as NodeJS.ErrnoException).code === 'ECONNRESET';
        if (!reset || attempt >= 3) throw error;
      }
    }
  }

  private send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    params: object,
    idempotencyKey: string | null,
  ): Promise<Reply> {
    const base = this.urls[this.next++ % this.urls.length];
    const encoded = qs.stringify(params, { arrayFormat: 'indices' });
    const withQuery = method === 'POST' || !encoded ? path : `${path}?${encoded}`;
    const body = method === 'POST' ? encoded : '';
    const url = new URL(withQuery, base);
    return new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: this.auth,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
            ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = JSON.parse(text) as Record<string, unknown>;
            } catch {
              parsed = { raw: text };
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve({ status, body: parsed });
            else reject(new ApiError(status, parsed));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
