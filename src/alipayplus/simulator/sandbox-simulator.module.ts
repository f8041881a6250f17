import { Inject, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';
import { AlipayPlusSimulator } from './alipayplus.simulator';

/** Where the built-in simulator is mounted in sandbox mode; ALIPAYPLUS_BASE_URL points here. */
export const SANDBOX_SIMULATOR_PREFIX = '/sandbox/alipayplus';

/**
 * Sandbox mode only: the Alipay+ simulator as this gateway's upstream, signing
 * with the generated sandbox keys. `createApp` mounts its routes on the same
 * server and points it back at this gateway once the port is known.
 */
@Module({
  providers: [
    {
      provide: AlipayPlusSimulator,
      inject: [GATEWAY_CONFIG, Clock],
      useFactory: (config: GatewayConfig, clock: Clock) => {
        const sandbox = config.sandbox;
        if (!sandbox) throw new Error('the Alipay+ simulator is mounted in sandbox mode only');
        return new AlipayPlusSimulator({
          simulatorPrivateKey: sandbox.simulatorPrivateKey,
          acqpPublicKeys: [sandbox.acqpPublicKey],
          clientId: config.alipayPlus.clientId,
          defaultAcquirerId: config.alipayPlus.acquirerId,
          skewMs: config.signatureSkewMs,
          // Quicker than Alipay+'s real schedule so a sandbox notification answered non-S comes back within a minute.
          retrySchedule: [0, 1_000, 5_000, 15_000, 30_000, 60_000],
          now: () => clock.now().getTime(),
        });
      },
    },
  ],
  exports: [AlipayPlusSimulator],
})
export class SandboxSimulatorModule implements BeforeApplicationShutdown {
  constructor(@Inject(AlipayPlusSimulator) private readonly simulator: AlipayPlusSimulator) {}

  beforeApplicationShutdown(): void {
    this.simulator.stop();
  }
}
