// Which IP addresses a webhook may be sent to under the strict URL policy: pure parsing and
// classification of IPv4 and IPv6 literals (no Node built-ins), shared by the API (at creation)
// and the worker (at every delivery). An address is public unless it falls in one of the ranges
// below; IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by
// the IPv4 address they carry, so ::ffff:127.0.0.1 is loopback like 127.0.0.1.

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'unique-local'
  | 'reserved';

// IPv4 in dotted-quad form only (what URL hosts and resolvers give): four decimal parts 0-255.
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

// IPv6 as eight 16-bit groups; accepts '::' compression, a trailing dotted IPv4 and a zone
// (fe80::1%eth0, which is dropped). Brackets are not part of the address.
export function parseIPv6(text: string): number[] | null {
  let body = text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(body)) return null;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.')) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    // What precedes the dotted part: '::' stays, a single trailing ':' goes (1:2:3:4:5:6:).
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !rest) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (given > 7) return null;
    return [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  }
  if (given !== 8) return null;
  return [...head, ...tail];
}

function inV4(bytes: number[], base: [number, number, number, number], prefix: number): boolean {
  const value = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const net = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (value & mask) >>> 0 === (net & mask) >>> 0;
}

const V4_RANGES: Array<[[number, number, number, number], number, AddressClass]> = [
  [[0, 0, 0, 0], 8, 'unspecified'], // "this network"; 0.0.0.0 reaches the local host
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'carrier-grade NAT'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'], // the cloud metadata service lives here
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2, 0], 24, 'reserved'], // documentation
  [[192, 88, 99, 0], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'], // benchmarking
  [[198, 51, 100, 0], 24, 'reserved'], // documentation
  [[203, 0, 113, 0], 24, 'reserved'], // documentation
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // and 255.255.255.255, broadcast
];

export function classifyIPv4(bytes: number[]): AddressClass {
  for (const [base, prefix, kind] of V4_RANGES) if (inV4(bytes, base, prefix)) return kind;
  return 'public';
}

const v4Of = (high: number, low: number): number[] => [high >> 8, high & 0xff, low >> 8, low & 0xff];

export function classifyIPv6(groups: number[]): AddressClass {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const zeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUntil(8)) return 'unspecified';
  if (zeroUntil(7) && g7 === 1) return 'loopback';
  if (zeroUntil(5) && g5 === 0xffff) return classifyIPv4(v4Of(g6, g7)); // ::ffff:a.b.c.d, mapped
  if (zeroUntil(4) && g4 === 0xffff && g5 === 0) return classifyIPv4(v4Of(g6, g7)); // ::ffff:0:a.b.c.d, translated
  if (zeroUntil(6)) return classifyIPv4(v4Of(g6, g7)); // ::a.b.c.d, IPv4-compatible (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return classifyIPv4(v4Of(g6, g7)); // 64:ff9b::/96, NAT64 well-known prefix
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // 64:ff9b:1::/48, local NAT64
  if (g0 === 0x2002) {
    const carried = classifyIPv4(v4Of(g1, g2)); // 2002::/16, 6to4 carries an IPv4 address
    if (carried !== 'public') return carried;
  }
  if ((g0 & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, site-local (deprecated)
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // 100::/64, discard
  if (g0 === 0x2001 && g1 === 0xdb8) return 'reserved'; // 2001:db8::/32, documentation
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved'; // 2001::/23, IETF protocol assignments (Teredo...)
  if (g0 === 0x3fff && g1 < 0x1000) return 'reserved'; // 3fff::/20, documentation
  return 'public';
}

// An IP literal's class, or null when the text is not an IP address (a host name). Takes a URL
// host as the WHATWG parser leaves it: IPv6 in brackets, IPv4 already in dotted-quad form.
export function classifyAddress(text: string): AddressClass | null {
  const host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(host);
  if (v4) return classifyIPv4(v4);
  if (!host.includes(':')) return null;
  const v6 = parseIPv6(host);
  return v6 ? classifyIPv6(v6) : null;
}

// The reason an address may not receive webhooks under the strict policy, or null if it may.
export function refusedAddressReason(address: string): string | null {
  const kind = classifyAddress(address);
  if (kind === null) return `${address} is not an IP address`;
  return kind === 'public' ? null : `${address} is a ${kind} address`;
}
