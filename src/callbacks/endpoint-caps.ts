/**
 * Splits claimable deliveries into those to send now and those to hold back,
 * so no endpoint exceeds `cap` requests in flight (counting `inFlight`, what
 * this instance is already sending). Held-back rows stay PENDING for a later
 * claim; order is kept, so each endpoint's oldest due go first.
 */
export function pickWithinCaps<T extends { endpointId: string }>(
  rows: readonly T[],
  inFlight: ReadonlyMap<string, number>,
  cap: number,
): { take: T[]; held: T[] } {
  const counts = new Map(inFlight);
  const take: T[] = [];
  const held: T[] = [];
  for (const row of rows) {
    const n = counts.get(row.endpointId) ?? 0;
    if (n >= cap) {
      held.push(row);
    } else {
      counts.set(row.endpointId, n + 1);
      take.push(row);
    }
  }
  return { take, held };
}

/** Endpoints at their cap: the next claim skips their rows entirely. */
export function busyEndpoints(inFlight: ReadonlyMap<string, number>, cap: number): string[] {
  return [...inFlight].filter(([, n]) => n >= cap).map(([id]) => id);
}
