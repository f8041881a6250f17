import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { PollLoop } from '../common/poll-loop';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { SchemaGate } from '../database/schema-gate';
import { NOT_TOLD, UnitOfWork } from '../database/unit-of-work';
import { CallbackClient, type CallbackExchange } from './callback.client';
import { CallbackComposer, type CallbackRequest } from './callback.composer';
import { CallbackMetrics } from './callback.metrics';
import { CallbackSourceRepository, type CallbackSource } from './callback-source.repository';
import { CompletionWriter, type CompletionOutcome } from './completion-writer';
import { decideDelivery, type DeliveryDecision } from './delivery-policy';
import { storedOutcome } from './delivery.entity';
import { DeliveryRepository, type ClaimedDelivery } from './delivery.repository';
import { busyEndpoints, pickWithinCaps } from './endpoint-caps';
import { EventOutbox } from './event-outbox';

/** Rows looked at per claim; more are claimed in the next cycle, which runs at once. */
const CLAIM_BATCH = 32;
/** Leases last minutes; looking for expired ones on every cycle of a busy dispatcher would only cost statements. */
const REAP_EVERY_MS = 1_000;
const DISABLED: CallbackExchange = {
  result: { kind: 'error', errorClass: 'ENDPOINT_DISABLED' },
  responseBody: null,
  detail: 'the endpoint is disabled or gone',
};

/**
 * Delivers the outbox to merchants' callback URLs, in every instance: claims
 * due deliveries in short transactions (leases), sends outside any
 * transaction, completes each with a fenced update plus its attempt row.
 * Woken after each commit that wrote events, polling as the backstop. A
 * global cap and a per-endpoint cap keep a slow endpoint from starving the rest.
 */
@Injectable()
export class CallbackDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CallbackDispatcher.name);
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`.slice(0, 64);
  private readonly settings: GatewayConfig['callbacks'];
  /** Longer than one attempt can take (its whole exchange is bounded by the timeout), with room to record it. */
  private readonly leaseMs: number;
  private readonly loop: PollLoop;
  private reapedAt = Number.NEGATIVE_INFINITY;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly uow: UnitOfWork,
    private readonly schema: SchemaGate,
    private readonly deliveries: DeliveryRepository,
    private readonly sources: CallbackSourceRepository,
    private readonly composer: CallbackComposer,
    private readonly client: CallbackClient,
    private readonly completions: CompletionWriter,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    private readonly metrics: CallbackMetrics,
  ) {
    this.settings = config.callbacks;
    this.leaseMs = 2 * this.settings.timeoutMs + 30_000;
    this.loop = new PollLoop(() => this.cycle(), this.settings.pollMs);
  }

  onApplicationBootstrap(): void {
    const em = this.dataSource.manager;
    this.metrics.watchQueue(
      () => this.deliveries.countQueued(em),
      () => this.deliveries.oldestDueSeconds(em, this.clock.now()),
    );
    this.outbox.onCommitted(() => this.kick());
    this.loop.start();
  }

  /** Stops claiming, lets in-flight sends finish (bounded); anything still leased is freed by a reaper later. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.settings.timeoutMs + 2_000)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), bound]);
    clearTimeout(timer);
  }

  /** Claims now (after a commit that wrote events), instead of waiting for the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One claim cycle now, then waits for every send it started: lets tests step a ManualClock without sleeping. */
  async runOnce(): Promise<void> {
    await this.loop.runOnce();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async cycle(): Promise<void> {
    // On a database not migrated yet, SchemaGate has said so once; polling now would only fail.
    if (!this.schema.migrated) return;
    try {
      const now = this.clock.now();
      if (now.getTime() - this.reapedAt >= REAP_EVERY_MS || now.getTime() < this.reapedAt) {
        await this.uow.run((em) => this.deliveries.reapExpired(em, now, [...this.inFlight.keys()]), NOT_TOLD);
        this.reapedAt = now.getTime();
      }
      const free = this.settings.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const limit = Math.min(free, CLAIM_BATCH);
      const busy = busyEndpoints(this.perEndpoint, this.settings.endpointConcurrency);
      const { claims, more } = await this.uow.run(async (em) => {
        const due = await this.deliveries.findDue(em, now, limit, busy);
        const { take, held } = pickWithinCaps(due, this.perEndpoint, this.settings.endpointConcurrency);
        return { claims: await this.deliveries.lease(em, take, this.owner, now, this.leaseMs), more: held.length > 0 || due.length === limit };
      }, NOT_TOLD);
      this.start(claims);
      // Held-back rows or a full batch: look again at once (busy endpoints are then skipped in SQL).
      if (more) this.loop.runAgain();
    } catch (err) {
      this.logger.error({ msg: 'callback claim cycle failed; will retry', err });
    }
  }

  /** Sends a claim's deliveries, their sources read in one go (a cancellation's deliveries share most rows). */
  private start(claims: readonly ClaimedDelivery[]): void {
    if (claims.length === 0) return;
    const sources = this.sources.loadMany(
      this.dataSource.manager,
      claims.map((c) => c.delivery),
    );
    // Read failures are logged per attempt below; this only keeps an early rejection from going unhandled.
    sources.catch(() => undefined);
    for (const claim of claims) {
      const { id, endpointId } = claim.delivery;
      this.perEndpoint.set(endpointId, (this.perEndpoint.get(endpointId) ?? 0) + 1);
      const p = this.attempt(claim, sources).finally(() => {
        this.inFlight.delete(id);
        const n = (this.perEndpoint.get(endpointId) ?? 1) - 1;
        if (n <= 0) this.perEndpoint.delete(endpointId);
        else this.perEndpoint.set(endpointId, n);
        this.kick();
      });
      this.inFlight.set(id, p);
    }
  }

  private async attempt(claim: ClaimedDelivery, sources: Promise<Map<string, CallbackSource | null>>): Promise<void> {
    const delivery = claim.delivery;
    try {
      const source = (await sources).get(delivery.id) ?? null;
      const startedAt = this.clock.now();
      const t0 = performance.now();
      let exchange = DISABLED;
      if (source && source.endpoint.status === 'ACTIVE') exchange = await this.send(source, startedAt);
      const durationMs = Math.round(performance.now() - t0);
      const decision = decideDelivery({
        attemptNo: delivery.attemptCount + 1,
        result: exchange.result,
        now: this.clock.now(),
        random: Math.random,
        scheduleMs: this.settings.retryScheduleMs,
        endpointFailingSince: source?.endpoint.failingSince ?? null,
        disableAfterMs: this.settings.disableAfterMs,
      });
      const httpStatus = exchange.result.kind === 'answer' ? exchange.result.httpStatus : null;
      const outcome = await this.completions.add({
        claim,
        endpointId: source?.endpoint.id ?? null,
        endpointWasFailing: (source?.endpoint.failingSince ?? null) !== null,
        decision,
        status: decision.outcome === 'SUCCEEDED' ? 'DELIVERED' : decision.outcome === 'RETRY' ? 'PENDING' : 'FAILED',
        nextAttemptAt: decision.nextAttemptAt,
        lastHttpStatus: httpStatus,
        lastError: decision.errorClass && `${decision.errorClass}: ${exchange.detail ?? ''}`,
        attempt: {
          startedAt,
          durationMs,
          httpStatus,
          responseBody: exchange.responseBody,
          errorClass: decision.errorClass,
          outcome: storedOutcome(decision.outcome),
        },
      });
      this.report(claim, decision, httpStatus, durationMs, outcome);
    } catch (err) {
      this.logger.error({ msg: 'callback attempt failed; the lease will expire and it will run again', deliveryId: delivery.id, err });
    }
  }

  private async send(source: CallbackSource, now: Date): Promise<CallbackExchange> {
    let request: CallbackRequest;
    try {
      request = await this.composer.compose(source, now);
    } catch (err) {
      // A failed attempt on the record, on the schedule, rather than a silent loop of expiring leases.
      this.logger.error({
        msg: 'callback could not be built or signed; check the encryption keys and the endpoint secret',
        endpointId: source.endpoint.id,
        err,
      });
      return { result: { kind: 'error', errorClass: 'COMPOSE_FAILED' }, responseBody: null, detail: 'the callback could not be built or signed' };
    }
    return this.client.post(request.url, request.headers, request.body, request.secrets);
  }

  private report(claim: ClaimedDelivery, decision: DeliveryDecision, httpStatus: number | null, durationMs: number, outcome: CompletionOutcome): void {
    const delivery = claim.delivery;
    const { stillOurs, disabled, cascaded } = outcome;
    if (!stillOurs) {
      // Our lease ran out and another owner (or an operator) took the row: its result stands, not ours.
      this.logger.warn({ msg: 'callback attempt fenced out; result discarded', deliveryId: delivery.id, outcome: decision.outcome });
      return;
    }
    this.metrics.count(decision.outcome);
    this.metrics.count('ENDPOINT_DISABLED', cascaded);
    this.metrics.attemptSeconds.observe({ outcome: decision.outcome }, durationMs / 1000);
    const where = { deliveryId: delivery.id, eventId: delivery.eventId, endpointId: delivery.endpointId, errorClass: decision.errorClass, httpStatus };
    if (disabled && decision.endpoint.kind === 'DISABLE') {
      this.logger.error({
        msg: 'callback endpoint DISABLED; its waiting deliveries failed. Fix the receiver, re-enable the endpoint, then recover them (POST /admin/v1/endpoints/{id}/recover)',
        ...where,
        reason: decision.endpoint.reason,
        failedDeliveries: cascaded,
      });
    } else if (decision.outcome === 'FAILED' && decision.errorClass !== 'ENDPOINT_DISABLED') {
      this.logger.error({ msg: 'callback delivery FAILED after its last scheduled attempt', ...where, attempts: delivery.attemptCount + 1 });
    } else if (decision.outcome === 'RETRY') {
      this.logger.warn({ msg: 'callback attempt failed; will retry', ...where, nextAttemptAt: decision.nextAttemptAt });
    }
  }
}
