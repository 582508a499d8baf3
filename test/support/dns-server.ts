// A tiny authoritative DNS server on loopback (UDP, A and AAAA only) whose answers a test can
// change between two requests, and a resolver that asks it: so "a name that resolves to
// loopback" and "a name that changes what it points to" go through real DNS messages.
import dgram from 'node:dgram';
import dns from 'node:dns';
import type { AddressInfo } from 'node:net';
import { parseIPv4, parseIPv6 } from '../../workflows/domain/network-address';
import type { ResolveHost } from '../../workflows/domain/webhook-url-policy';

export interface DnsServer {
  // Sets a name's addresses (IPv4 and IPv6 literals); an empty list makes it NXDOMAIN.
  set(name: string, addresses: string[]): void;
  resolve: ResolveHost;
  queries(name: string): number;
  close(): Promise<void>;
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at] !== 0) {
    const length = message[at];
    labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function answer(query: Buffer, records: Map<string, string[]>, count: (name: string) => void): Buffer {
  const { name, end } = readName(query, 12);
  count(name);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const known = records.get(name) ?? [];
  const rdatas: Buffer[] = [];
  for (const address of known) {
    const v4 = parseIPv4(address);
    if (type === 1 && v4) rdatas.push(Buffer.from(v4));
    const v6 = v4 ? null : parseIPv6(address);
    if (type === 28 && v6) {
      const bytes = Buffer.alloc(16);
      v6.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
      rdatas.push(bytes);
    }
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // the query's id
  header.writeUInt16BE(0x8580 | (known.length === 0 ? 3 : 0), 2); // response, authoritative; NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdatas.length, 6);
  const answers = rdatas.map((rdata) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // the question's name
    fixed.writeUInt16BE(type, 2);
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(0, 6); // TTL 0: nothing cached
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsServer(): Promise<DnsServer> {
  const records = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    try {
      const reply = answer(query, records, (name) => counts.set(name, (counts.get(name) ?? 0) + 1));
      socket.send(reply, peer.port, peer.address);
    } catch {
      // not a query we understand: no answer
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return {
    set(name, addresses) {
      records.set(name.toLowerCase(), addresses);
    },
    async resolve(hostname) {
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
      const addresses = [
        ...(v4.status === 'fulfilled' ? v4.value : []),
        ...(v6.status === 'fulfilled' ? v6.value : []),
      ];
      if (addresses.length === 0) {
        throw Object.assign(new Error(`${hostname} not found`), { code: 'ENOTFOUND' });
      }
      return addresses;
    },
    queries: (name) => counts.get(name.toLowerCase()) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
