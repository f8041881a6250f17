import { inRange, parseCidr, parseIp } from '../config/ip-range';
import { DnsResolver, SsrfBlockedError, SsrfGuard, UnresolvableHostError, type ResolvedAddress } from './ssrf-guard';

class FakeResolver extends DnsResolver {
  calls: string[] = [];
  constructor(private readonly answers: Record<string, ResolvedAddress[]>) {
    super();
  }
  override async lookupAll(host: string): Promise<ResolvedAddress[]> {
    this.calls.push(host);
    const a = this.answers[host];
    if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return a;
  }
}

const guard = (allow: string[] = [], answers: Record<string, ResolvedAddress[]> = {}) => {
  const resolver = new FakeResolver(answers);
  return { sut: new SsrfGuard({ callbacks: { allowPrivateNetworks: allow } }, resolver), resolver };
};

describe(SsrfGuard.name, () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(guard().sut.blockedReason(address)).not.toBeNull();
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(guard().sut.blockedReason(address)).toBeNull();
  });

  it('says why, naming the mapped form', () => {
    expect(guard().sut.blockedReason('169.254.169.254')).toBe('link-local (incl. cloud metadata)');
    expect(guard().sut.blockedReason('::ffff:127.0.0.1')).toBe('loopback (as 0:0:0:0:0:ffff:7f00:1)');
  });

  it('lets the allowlist open chosen ranges, in both IPv4 spellings', () => {
    const { sut } = guard(['127.0.0.0/8', '::1/128']);
    expect(sut.blockedReason('127.0.0.1')).toBeNull();
    expect(sut.blockedReason('::ffff:127.0.0.1')).toBeNull();
    expect(sut.blockedReason('::1')).toBeNull();
    expect(sut.blockedReason('10.0.0.1')).not.toBeNull();
    expect(sut.blockedReason('169.254.169.254')).not.toBeNull();
  });

  it('checks IP literals without asking DNS', async () => {
    const { sut, resolver } = guard();
    await expect(sut.resolve('10.0.0.1')).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(sut.resolve('[::1]')).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(sut.resolve('8.8.8.8')).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
    expect(resolver.calls).toEqual([]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const { sut } = guard([], {
      'rebind.test': [
        { address: '93.184.215.14', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ],
      'public.test': [{ address: '93.184.215.14', family: 4 }],
    });
    await expect(sut.resolve('rebind.test')).rejects.toMatchObject({ address: '169.254.169.254', errorClass: 'SSRF_BLOCKED' });
    await expect(sut.resolve('public.test')).resolves.toEqual([{ address: '93.184.215.14', family: 4 }]);
    await expect(sut.resolve('nowhere.test')).rejects.toBeInstanceOf(UnresolvableHostError);
  });
});

describe('ip-range', () => {
  it('parses CIDRs and bare addresses, refuses junk', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(parseCidr('::1')).toMatchObject({ family: 6, prefix: 128 });
    for (const bad of ['10.0.0.0/33', '::/129', 'localhost', '10.0.0/8', '1.2.3.4/8/9', '1.2.3.4/x']) expect(parseCidr(bad)).toBeNull();
  });

  it('matches prefixes bit by bit', () => {
    const r = parseCidr('172.16.0.0/12')!;
    expect(inRange(parseIp('172.31.0.1')!, r)).toBe(true);
    expect(inRange(parseIp('172.32.0.1')!, r)).toBe(false);
    expect(inRange(parseIp('::ffff:172.16.0.1')!, r)).toBe(false);
  });

  it('expands IPv6 forms to the same bytes', () => {
    const a = parseIp('::ffff:10.1.2.3')!.bytes;
    expect(parseIp('0:0:0:0:0:ffff:a01:203')!.bytes).toEqual(a);
    expect(parseIp('::ffff:0a01:0203')!.bytes).toEqual(a);
    expect(Array.from(parseIp('fe80::1')!.bytes)).toEqual([0xfe, 0x80, ...new Array(13).fill(0), 1]);
  });
});
