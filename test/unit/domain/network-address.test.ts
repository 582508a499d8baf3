import {
  classifyAddress,
  parseIPv4,
  parseIPv6,
  refusedAddressReason,
} from '../../../workflows/domain/network-address';

describe('parseIPv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['2001:db8:0:0:1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]],
    ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['::ffff:7f00:1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['::10.0.0.1', [0, 0, 0, 0, 0, 0, 0x0a00, 1]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]],
    ['2606:4700:4700::1111', [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111]],
  ])('reads %s', (text, groups) => {
    expect(parseIPv6(text)).toEqual(groups);
  });

  it.each([
    '',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3',
    '12345::',
    'g::1',
    '::1.2.3',
    '::1.2.3.256',
    'example.com',
  ])('refuses %s', (text) => {
    expect(parseIPv6(text)).toBeNull();
  });
});

describe('parseIPv4', () => {
  it('reads dotted quads only', () => {
    expect(parseIPv4('192.168.1.20')).toEqual([192, 168, 1, 20]);
    expect(parseIPv4('256.1.1.1')).toBeNull();
    expect(parseIPv4('1.2.3')).toBeNull();
    expect(parseIPv4('1.2.3.4.5')).toBeNull();
    expect(parseIPv4('a.b.c.d')).toBeNull();
  });
});

describe('classifyAddress', () => {
  describe('IPv4', () => {
    it.each([
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['10.255.255.255', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['100.127.255.255', 'carrier-grade NAT'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.255', 'reserved'],
      ['192.0.2.10', 'reserved'],
      ['198.18.0.1', 'reserved'],
    ])('%s is %s', (address, kind) => {
      expect(classifyAddress(address)).toBe(kind);
    });

    it.each([
      '8.8.8.8',
      '1.1.1.1',
      '93.184.216.34',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '169.253.1.1',
      '11.0.0.1',
      '223.255.255.255',
    ])('%s is public', (address) => {
      expect(classifyAddress(address)).toBe('public');
    });
  });

  describe('IPv6', () => {
    it.each([
      ['::', 'unspecified'],
      ['[::]', 'unspecified'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456:789a::1', 'unique-local'],
      ['ff02::1', 'multicast'],
      ['ff05::1:3', 'multicast'],
      ['fec0::1', 'private'],
      ['2001:db8::1', 'reserved'],
      ['100::1', 'reserved'],
    ])('%s is %s', (address, kind) => {
      expect(classifyAddress(address)).toBe(kind);
    });

    it.each([
      ['::ffff:127.0.0.1', 'loopback'],
      ['[::ffff:7f00:1]', 'loopback'], // the form the URL parser gives
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:192.168.1.1', 'private'],
      ['::ffff:100.64.0.1', 'carrier-grade NAT'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['::ffff:224.0.0.1', 'multicast'],
      ['::ffff:0:127.0.0.1', 'loopback'], // IPv4-translated
      ['::127.0.0.1', 'loopback'], // IPv4-compatible
      ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
      ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    ])('%s carries an IPv4 address and is %s', (address, kind) => {
      expect(classifyAddress(address)).toBe(kind);
    });

    it.each([
      '2606:4700:4700::1111',
      '2a00:1450:4007:80e::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ])('%s is public', (address) => {
      expect(classifyAddress(address)).toBe('public');
    });
  });

  it('is null for host names', () => {
    expect(classifyAddress('example.com')).toBeNull();
    expect(classifyAddress('localhost')).toBeNull();
    expect(classifyAddress('1.2.3.4.example.com')).toBeNull();
  });

  it('agrees with the URL parser on the odd IPv4 spellings it normalises', () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/']) {
      expect(classifyAddress(new URL(url).hostname)).toBe('loopback');
    }
    expect(classifyAddress(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe('loopback');
    expect(classifyAddress(new URL('http://[0:0:0:0:0:0:0:1]:4242/').hostname)).toBe('loopback');
  });
});

describe('refusedAddressReason', () => {
  it('names the class', () => {
    expect(refusedAddressReason('169.254.169.254')).toBe('169.254.169.254 is a link-local address');
    expect(refusedAddressReason('93.184.216.34')).toBeNull();
  });
});
