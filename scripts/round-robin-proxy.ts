// One port in front of several API processes: each new TCP connection goes to the next process
// in turn, skipping any that refuses it (a process that died), so a client's retry lands on a
// live one. Connections are passed through untouched (keep-alive stays on one process).
import net from 'node:net';

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(options: {
  host: string;
  port: number;
  backends: () => Array<{ host: string; port: number }>;
}): Promise<Proxy> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const connect = (client: net.Socket, attempt: number) => {
    const backends = options.backends();
    if (attempt >= backends.length) return client.destroy();
    const backend = backends[next++ % backends.length];
    const upstream = net.connect(backend.port, backend.host);
    track(upstream);
    upstream.once('error', () => {
      if (upstream.bytesWritten === 0 && !client.destroyed && client.bytesWritten === 0) {
        connect(client, attempt + 1); // refused: the next process
      } else client.destroy();
    });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => undefined);
    connect(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
