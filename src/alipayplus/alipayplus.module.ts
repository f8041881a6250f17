import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { AlipayPlusClient } from './alipayplus.client';
import { CircuitBreaker } from './circuit-breaker';

/** The only module that knows Alipay+'s URLs: one kept-alive cancelToken client per instance, behind a breaker. */
@Module({
  providers: [
    {
      provide: CircuitBreaker,
      inject: [Clock],
      useFactory: (clock: Clock) => new CircuitBreaker({ now: () => clock.now().getTime() }),
    },
    {
      provide: AlipayPlusClient,
      inject: [GATEWAY_CONFIG, CircuitBreaker, Clock],
      useFactory: (config: GatewayConfig, breaker: CircuitBreaker, clock: Clock) =>
        new AlipayPlusClient({
          baseUrl: () => config.alipayPlus.baseUrl,
          clientId: config.alipayPlus.clientId,
          privateKey: config.alipayPlus.privateKey,
          alipayPlusPublicKeys: () => config.alipayPlus.publicKeys,
          timeoutMs: config.alipayPlus.requestTimeoutMs,
          now: () => clock.now().getTime(),
          breaker,
        }),
    },
  ],
  exports: [AlipayPlusClient, CircuitBreaker],
})
export class AlipayPlusModule implements OnApplicationShutdown {
  constructor(@Inject(AlipayPlusClient) private readonly client: AlipayPlusClient) {}

  onApplicationShutdown(): void {
    this.client.close();
  }
}
