import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Why an address is not a public internet address. */
export type AddressCategory = 'metadata' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved';

type Range = [network: string, prefix: number];

/*
 * Checked in this order, so a cloud metadata address is named as such rather than as link-local.
 * Sources: RFC 6890 special-purpose registries, and the metadata endpoints of the big clouds.
 */
const RANGES: Array<[AddressCategory, Range[], Range[]]> = [
  [
    'metadata',
    // AWS/GCP/Azure/OpenStack 169.254.169.254, AWS ECS 169.254.170.2, Alibaba 100.100.100.200, Azure WireServer 168.63.129.16
    [['169.254.169.254', 32], ['169.254.170.2', 32], ['100.100.100.200', 32], ['168.63.129.16', 32]],
    [['fd00:ec2::254', 128]],
  ],
  ['loopback', [['127.0.0.0', 8]], [['::1', 128]]],
  ['unspecified', [['0.0.0.0', 8]], [['::', 128]]],
  // RFC 1918, shared address space (RFC 6598), unique local IPv6
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]], [['fc00::', 7]]],
  ['link-local', [['169.254.0.0', 16]], [['fe80::', 10]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ],
    // discard-only, documentation, Teredo (hides an IPv4 address), multicast
    [['100::', 64], ['2001:db8::', 32], ['2001::', 32], ['ff00::', 8]],
  ],
];

const LISTS: Array<[AddressCategory, BlockList]> = RANGES.map(([category, v4, v6]) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return [category, list];
});

function ipv4FromWords(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Expands an IPv6 address to its eight 16-bit words. */
function ipv6Words(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bytes = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((word) => parseInt(word, 16)) : []);
  const start = parse(head);
  const end = parse(tail);
  const words = tail === undefined ? start : [...start, ...new Array(8 - start.length - end.length).fill(0), ...end];
  return words.length === 8 && words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffff) ? words : null;
}

/**
 * The IPv4 address an IPv6 address stands for, where it embeds one: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
function embeddedIpv4(address: string): string | null {
  const w = ipv6Words(address);
  if (!w) return null;
  const zeros = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  if (zeros(0, 5) && (w[5] === 0xffff || (w[5] === 0 && (w[6] !== 0 || w[7] > 1)))) return ipv4FromWords(w[6], w[7]);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return ipv4FromWords(w[6], w[7]);
  if (w[0] === 0x2002) return ipv4FromWords(w[1], w[2]);
  return null;
}

/** The category of a non-public address, or null for a public one (or for something not an IP). */
export function classifyAddress(address: string): AddressCategory | null {
  const ip = address.replace(/^\[|\]$/g, '');
  if (isIPv6(ip)) {
    const v4 = embeddedIpv4(ip);
    if (v4) return classifyAddress(v4);
    for (const [category, list] of LISTS) if (list.check(ip, 'ipv6')) return category;
    return null;
  }
  if (isIPv4(ip)) {
    for (const [category, list] of LISTS) if (list.check(ip, 'ipv4')) return category;
  }
  return null;
}
