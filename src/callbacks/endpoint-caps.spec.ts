import { busyEndpoints, pickWithinCaps } from './endpoint-caps';

describe(pickWithinCaps.name, () => {
  const row = (endpointId: string, n: number) => ({ endpointId, n });

  it('takes rows in order until each endpoint reaches its cap, holding back the rest', () => {
    const rows = [row('slow', 1), row('slow', 2), row('fast', 3), row('slow', 4), row('fast', 5)];
    const { take, held } = pickWithinCaps(rows, new Map([['slow', 1]]), 2);
    expect(take.map((r) => r.n)).toEqual([1, 3, 5]);
    expect(held.map((r) => r.n)).toEqual([2, 4]);
  });

  it('holds back everything of an endpoint already at its cap', () => {
    const { take, held } = pickWithinCaps([row('a', 1), row('b', 2)], new Map([['a', 4]]), 4);
    expect(take.map((r) => r.n)).toEqual([2]);
    expect(held.map((r) => r.n)).toEqual([1]);
  });
});

describe(busyEndpoints.name, () => {
  it('names the endpoints at or over the cap', () => {
    expect(
      busyEndpoints(
        new Map([
          ['a', 4],
          ['b', 3],
          ['c', 5],
        ]),
        4,
      ),
    ).toEqual(['a', 'c']);
  });
});
