import dns from 'node:dns';
import { ManualClock } from '../common/clock';
import { DnsResolver } from './ssrf-guard';

describe(DnsResolver.name, () => {
  const clock = new ManualClock();
  let lookup: jest.SpyInstance;

  beforeEach(() => {
    lookup = jest.spyOn(dns.promises, 'lookup');
  });
  afterEach(() => lookup.mockRestore());

  it('asks the system once for concurrent and repeated lookups of a host within ten seconds, then again', async () => {
    lookup.mockResolvedValue([{ address: '203.0.113.7', family: 4 }]);
    const sut = new DnsResolver(clock);
    const answers = await Promise.all([sut.lookupAll('merchant.example'), sut.lookupAll('merchant.example')]);
    expect(answers).toEqual([[{ address: '203.0.113.7', family: 4 }], [{ address: '203.0.113.7', family: 4 }]]);
    clock.advance(9_999);
    await sut.lookupAll('merchant.example');
    expect(lookup).toHaveBeenCalledTimes(1);

    lookup.mockResolvedValue([{ address: '2001:db8::7', family: 6 }]);
    clock.advance(1);
    expect(await sut.lookupAll('merchant.example')).toEqual([{ address: '2001:db8::7', family: 6 }]);
    await sut.lookupAll('other.example');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('does not remember a failure', async () => {
    lookup.mockRejectedValueOnce(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    lookup.mockResolvedValueOnce([{ address: '203.0.113.8', family: 4 }]);
    const sut = new DnsResolver(clock);
    await expect(sut.lookupAll('flaky.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await sut.lookupAll('flaky.example')).toEqual([{ address: '203.0.113.8', family: 4 }]);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('resolves a real name through the system resolver', async () => {
    lookup.mockRestore();
    expect(await new DnsResolver(clock).lookupAll('localhost')).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});
