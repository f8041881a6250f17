import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

/** Requests per second a merchant may make when its record sets no limit. */
export const DEFAULT_MERCHANT_RATE_PER_SECOND = 50;

/** The limit that applies to a merchant: its own, or the default where it set none (null is not "unlimited"). */
export function effectiveRatePerSecond(perSecond: number | null): number {
  return perSecond ?? DEFAULT_MERCHANT_RATE_PER_SECOND;
}

/**
 * Per-merchant token buckets (burst = one second's worth), per instance: with
 * N instances a merchant gets up to N times its limit, which is acceptable for
 * protecting Alipay+ and us, and needs no shared store.
 */
@Injectable()
export class MerchantRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: Clock) {}

  tryTake(merchantId: string, perSecond: number | null): boolean {
    const rate = effectiveRatePerSecond(perSecond);
    const now = this.clock.now().getTime();
    const b = this.buckets.get(merchantId) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(merchantId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
