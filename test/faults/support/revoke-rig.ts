import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import type { FaultDatabase } from './database';
import { killAllGateways } from './gateways';
import { acknowledge, startFaultReceiver, type FaultReceiver } from './receiver';
import { startFaultSimulator, type FaultSimulator } from './simulator';

/** What a revoke fault test runs against; `reader` is opened by the test once the gateway has migrated the database. */
export interface RevokeRig {
  db: TestDatabase;
  receiver: FaultReceiver;
  sim: FaultSimulator;
  reader?: FaultDatabase;
}

/**
 * Registers the set-up and tear-down of a revoke fault test: a fresh
 * database, a receiver that acknowledges every callback, and the simulator
 * with Alipay+'s notification retries (minutes apart in production) a few
 * seconds apart at most. Every gateway spawned is killed afterwards.
 */
export function revokeRig(): RevokeRig {
  const rig = {} as RevokeRig;
  beforeAll(async () => {
    rig.db = await createTestDatabase();
    rig.receiver = await startFaultReceiver(acknowledge);
    rig.sim = await startFaultSimulator({ retrySchedule: [0, 200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000, 5000], notifyTimeoutMs: 3000 });
  });
  afterAll(async () => {
    await killAllGateways();
    await rig.sim?.close();
    await rig.reader?.close();
    await rig.receiver?.close();
    await rig.db?.drop();
  });
  return rig;
}
