// The webhook receiver of the fan-out scenario: counts deliveries per path (event ids, so a
// redelivery is not counted twice) and answers 200, after `delayMs` on a slow path.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url(path: string): string;
  // Distinct events received on the path, and when the last new one arrived (performance.now()).
  received(path: string): { events: number; lastAt: number };
  close(): Promise<void>;
}

export async function startReceiver(delays: Record<string, number>): Promise<Receiver> {
  const seen = new Map<string, { ids: Set<string>; lastAt: number }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const entry = seen.get(path) ?? { ids: new Set<string>(), lastAt: 0 };
      seen.set(path, entry);
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id;
      if (!entry.ids.has(id)) {
        entry.ids.add(id);
        entry.lastAt = performance.now();
      }
      setTimeout(() => res.writeHead(200).end('ok'), delays[path] ?? 0);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received: (path) => {
      const entry = seen.get(path);
      return { events: entry?.ids.size ?? 0, lastAt: entry?.lastAt ?? 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
