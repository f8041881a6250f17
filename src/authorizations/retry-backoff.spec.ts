import { cancelTokenRetryDelay } from './retry-backoff';

describe(cancelTokenRetryDelay.name, () => {
  it('doubles from the base and caps', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => cancelTokenRetryDelay(a, mid))).toEqual([1000, 2000, 4000, 8000]);
    expect(cancelTokenRetryDelay(40, mid)).toBe(300_000);
  });

  it('jitters within ±20%', () => {
    expect(cancelTokenRetryDelay(3, () => 0)).toBe(3200);
    expect(cancelTokenRetryDelay(3, () => 0.999999)).toBe(4800);
  });
});
