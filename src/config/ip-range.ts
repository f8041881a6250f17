import { isIP } from 'node:net';

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

export interface IpRange {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefix: number;
  /** As written, for log lines and error messages. */
  readonly text: string;
}

/** Parses a literal IPv4 or IPv6 address (no brackets, no zone id); null if it is not one. */
export function parseIp(text: string): IpAddress | null {
  const family = isIP(text);
  if (family === 4) return { family: 4, bytes: ipv4Bytes(text) };
  if (family === 6) return { family: 6, bytes: ipv6Bytes(text) };
  return null;
}

/** `10.0.0.0/8`, `::1/128`, or a bare address (a /32 or /128); null if malformed. */
export function parseCidr(text: string): IpRange | null {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { family: ip.family, bytes: ip.bytes, prefix, text: text.trim() };
}

export function inRange(ip: IpAddress, range: IpRange): boolean {
  if (ip.family !== range.family) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

/**
 * The IPv4 address an IPv6 address stands for, when it does: IPv4-mapped
 * (`::ffff:a.b.c.d`, which a dual-stack socket connects to as IPv4) and NAT64
 * (`64:ff9b::a.b.c.d`, RFC 6052, which a NAT64 gateway forwards to IPv4).
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || nat64 ? { family: 4, bytes: b.slice(12, 16) } : null;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16));
  return groups.join(':');
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** Expands `::` and a trailing dotted quad; `text` is already known to be valid (net.isIP). */
function ipv6Bytes(text: string): Uint8Array {
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = ipv4Bytes(body.slice(lastColon + 1));
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    body = `${body.slice(0, lastColon + 1)}0`;
  }
  const [headText, restText] = body.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  let head = parse(headText);
  let rest = parse(restText);
  if (tail.length) {
    // The placeholder `0` group stands where the dotted quad was: swap it for the two groups.
    if (restText !== undefined) rest = [...rest.slice(0, -1), ...tail];
    else head = [...head.slice(0, -1), ...tail];
  }
  const fill = restText === undefined ? [] : new Array<number>(8 - head.length - rest.length).fill(0);
  const groups = [...head, ...fill, ...rest];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
