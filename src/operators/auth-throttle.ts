import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { UnitOfWork } from '../database/unit-of-work';
import { MetricsService } from '../ops/metrics.service';
import { afterFailure, checkThrottle, refundClaim, type ThrottleState } from './auth-throttle.policy';
import { AuthThrottleRepository } from './operators.repository';

/** Where an operator authenticates: the admin API's bearer tokens and sessions, or the console's log-in form. */
export type AuthSurface = 'admin' | 'console';

/**
 * One authentication attempt of one client address. Exactly one of the three
 * ends it (later calls do nothing): what the credential turned out to be, or
 * `abandoned` when none was presented or checking it threw.
 */
export interface ThrottleTicket {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
  failed(): Promise<void>;
  succeeded(): Promise<void>;
  abandoned(): Promise<void>;
}

/** Credential checks one address may have in flight on one instance; more are answered 429 at once. */
export const MAX_IN_FLIGHT_PER_ADDRESS = 32;

/**
 * Failed log-ins per client address and surface, in the database so that
 * every instance counts together (policy: auth-throttle.policy.ts). Each
 * failure is a warn line with the address, never the token, and a metric.
 *
 * An attempt costs one read and, if it fails, one write. Once an address
 * has been locked out in the current window, each of its attempts claims
 * its turn first: in one transaction it is counted as a failure in advance
 * (which locks the address again), and refunded if the credential was good.
 * So attempts that arrive together when a lock ends cannot all slip through:
 * the first takes the turn and the others find the lock. Before any lock, a
 * burst of concurrent guesses is bounded by MAX_IN_FLIGHT_PER_ADDRESS per
 * instance. A success never clears earlier failures: they end with their
 * window (FAILURE_WINDOW_MS), so an operator's own valid token cannot be
 * used to reset the count between guesses at another.
 */
@Injectable()
export class AuthThrottle {
  private readonly logger = new Logger('security');
  private readonly failures: Counter<'surface'>;
  private readonly throttled: Counter<'surface'>;
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly repository: AuthThrottleRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'authFailuresBeforeLockout'>,
    metrics: MetricsService,
  ) {
    this.failures = metrics.counter({ name: 'acqp_auth_failures_total', help: 'Failed operator authentications, by surface', labelNames: ['surface'] });
    this.throttled = metrics.counter({
      name: 'acqp_auth_throttled_total',
      help: 'Operator authentications refused 429 while the address was locked out',
      labelNames: ['surface'],
    });
  }

  async attempt(surface: AuthSurface, ip: string): Promise<ThrottleTicket> {
    const subject = `${surface}:${ip}`.slice(0, 128);
    const inFlight = this.inFlight.get(subject) ?? 0;
    if (inFlight >= MAX_IN_FLIGHT_PER_ADDRESS) return this.refused(surface, ip, 1);
    this.inFlight.set(subject, inFlight + 1);
    let ended = false;
    const end = (then: () => Promise<void>) => async () => {
      if (ended) return;
      ended = true;
      const left = (this.inFlight.get(subject) ?? 1) - 1;
      if (left > 0) this.inFlight.set(subject, left);
      else this.inFlight.delete(subject);
      await then();
    };
    try {
      const state = await this.repository.find(subject);
      if (state === null || state.lockedUntil === null) {
        const nothing = async () => undefined;
        return { allowed: true, retryAfterSeconds: 0, failed: end(() => this.fail(surface, subject, ip)), succeeded: end(nothing), abandoned: end(nothing) };
      }
      const claim = await this.claim(subject);
      if (!claim.allowed) {
        await end(async () => undefined)();
        return this.refused(surface, ip, claim.retryAfterSeconds);
      }
      const refund = () => this.refund(subject, claim.claimed, claim.before);
      return {
        allowed: true,
        retryAfterSeconds: 0,
        failed: end(async () => this.failedLine(surface, ip, claim.claimed)),
        succeeded: end(refund),
        abandoned: end(refund),
      };
    } catch (err) {
      await end(async () => undefined)();
      throw err;
    }
  }

  private refused(surface: AuthSurface, ip: string, retryAfterSeconds: number): ThrottleTicket {
    this.throttled.inc({ surface });
    this.logger.warn({ msg: 'operator authentication refused: too many failures from this address', surface, ip, retryAfterSeconds });
    const nothing = async () => undefined;
    return { allowed: false, retryAfterSeconds, failed: nothing, succeeded: nothing, abandoned: nothing };
  }

  /** Takes this attempt's turn: counted as a failure now, unless the address is locked. */
  private claim(
    subject: string,
  ): Promise<{ allowed: false; retryAfterSeconds: number } | { allowed: true; claimed: ThrottleState; before: ThrottleState | null }> {
    return this.uow.run(
      async (em) => {
        const row = await this.repository.findForUpdate(em, subject);
        const now = this.clock.now();
        const verdict = checkThrottle(row, now);
        if (!verdict.allowed) return verdict;
        const claimed = afterFailure(row, now, this.config.authFailuresBeforeLockout);
        await this.repository.save(em, { subject, ...claimed, updatedAt: now }, row !== null);
        return { allowed: true as const, claimed, before: row };
      },
      { retryOnDuplicateKey: true },
    );
  }

  private async refund(subject: string, claimed: ThrottleState, before: ThrottleState | null): Promise<void> {
    await this.uow.run(async (em) => {
      const row = await this.repository.findForUpdate(em, subject);
      if (row === null) return;
      const next = refundClaim(row, claimed, before);
      if (next === null || next.failures === 0) await this.repository.remove(em, subject);
      else await this.repository.save(em, { subject, ...next, updatedAt: this.clock.now() }, true);
    });
  }

  /** A failure of an address with none on record. */
  private async fail(surface: AuthSurface, subject: string, ip: string): Promise<void> {
    const next = await this.uow.run(
      async (em) => {
        const row = await this.repository.findForUpdate(em, subject);
        const now = this.clock.now();
        const state = afterFailure(row, now, this.config.authFailuresBeforeLockout);
        await this.repository.save(em, { subject, ...state, updatedAt: now }, row !== null);
        return state;
      },
      { retryOnDuplicateKey: true },
    );
    this.failedLine(surface, ip, next);
  }

  private failedLine(surface: AuthSurface, ip: string, state: ThrottleState): void {
    this.failures.inc({ surface });
    this.logger.warn({
      msg: 'operator authentication failed',
      surface,
      ip,
      failures: state.failures,
      ...(state.lockedUntil ? { lockedUntil: state.lockedUntil.toISOString() } : {}),
    });
  }
}
