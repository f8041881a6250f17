import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { NOT_TOLD, UnitOfWork } from '../database/unit-of-work';
import type { DeliveryDecision, EndpointChange } from './delivery-policy';
import { DeliveryRepository, type DeliveryCompletion } from './delivery.repository';

/** One finished attempt, as the dispatcher hands it over. */
export interface DispatchedCompletion extends DeliveryCompletion {
  /** The endpoint as it was sent to; null when it was gone. */
  readonly endpointId: string | null;
  /** Its failure streak had begun when it was read for this attempt. */
  readonly endpointWasFailing: boolean;
  readonly decision: DeliveryDecision;
}

export interface CompletionOutcome {
  /** False when the lease had been taken over: nothing of this attempt was written. */
  readonly stillOurs: boolean;
  /** This attempt disabled its endpoint... */
  readonly disabled: boolean;
  /** ...and failed this many of the endpoint's waiting deliveries with it. */
  readonly cascaded: number;
}

/** Most completions one transaction writes. */
const BATCH = 64;

/**
 * Writes finished attempts in batches: whatever finished while the previous
 * transaction ran goes into the next one, so a busy dispatcher writes a
 * claim's worth of results with a handful of statements and an idle one
 * writes each at once (no timer, no added wait). Every completion in a batch
 * is fenced on its own lease; a failed transaction rejects its whole batch
 * and those leases expire into a retry, as a lost single completion would.
 */
@Injectable()
export class CompletionWriter {
  private queue: { completion: DispatchedCompletion; resolve: (o: CompletionOutcome) => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly deliveries: DeliveryRepository,
    private readonly clock: Clock,
  ) {}

  add(completion: DispatchedCompletion): Promise<CompletionOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ completion, resolve, reject });
      if (this.flushing) return;
      this.flushing = true;
      // After this turn of the event loop, so the attempts finishing in it share the first transaction.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      try {
        const outcomes = await this.uow.run(
          (em) =>
            this.write(
              em,
              batch.map((q) => q.completion),
            ),
          NOT_TOLD,
        );
        batch.forEach((q, i) => q.resolve(outcomes[i]));
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    this.flushing = false;
  }

  private async write(em: EntityManager, items: readonly DispatchedCompletion[]): Promise<CompletionOutcome[]> {
    const now = this.clock.now();
    const ours = await this.deliveries.completeMany(em, items, now);
    const outcomes = items.map((i) => ({ stillOurs: ours.has(i.claim.delivery.id), disabled: false, cascaded: 0 }));
    // Each endpoint ends as its latest answer in the batch says; a DISABLE is applied where it comes.
    const latest = new Map<string, EndpointChange>();
    for (const [k, i] of items.entries()) {
      const change = i.decision.endpoint;
      if (!outcomes[k].stillOurs || i.endpointId === null) continue;
      if (change.kind === 'HEALTHY' || change.kind === 'FAILING') latest.set(i.endpointId, change);
      if (change.kind === 'DISABLE') {
        const disabled = await this.deliveries.disableEndpoint(em, i.endpointId, change.reason, now);
        const cascaded = disabled ? await this.deliveries.failPending(em, i.endpointId, `ENDPOINT_DISABLED: ${change.reason}`, now) : 0;
        outcomes[k] = { stillOurs: true, disabled, cascaded };
      }
    }
    // A streak can only end where one had begun: the rest (nearly every success) cost no statement. One that
    // began after this attempt read its endpoint ends with the endpoint's next success, which reads it afresh.
    const failing = new Set(items.filter((i, k) => i.endpointWasFailing && outcomes[k].stillOurs).map((i) => i.endpointId));
    await this.deliveries.markEndpointsHealthy(
      em,
      [...latest].filter(([id, c]) => c.kind === 'HEALTHY' && failing.has(id)).map(([id]) => id),
    );
    for (const [id, change] of latest) if (change.kind === 'FAILING') await this.deliveries.markEndpointFailing(em, id, change.since);
    return outcomes;
  }
}
