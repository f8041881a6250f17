import { ManualClock } from '../common/clock';
import { MerchantRateLimiter } from './rate-limiter';

describe(MerchantRateLimiter.name, () => {
  it('allows a burst of one second, then refills with time', () => {
    const clock = new ManualClock();
    const sut = new MerchantRateLimiter(clock);
    const take = (n: number) => Array.from({ length: n }, () => sut.tryTake('m1', 5)).filter(Boolean).length;
    expect(take(8)).toBe(5);
    clock.advance(400);
    expect(take(5)).toBe(2);
    expect(sut.tryTake('m2', 5)).toBe(true);
  });
});
