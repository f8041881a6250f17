import { Global, Module } from '@nestjs/common';
import { GuardedHttpClient } from './guarded-http.client';
import { DnsResolver, SsrfGuard } from './ssrf-guard';

/**
 * Calls to URLs merchants give us, global because several sides make them:
 * callbacks and consult calls through GuardedHttpClient, and URL checks at
 * registration (EndpointUrlPolicy) through the same SsrfGuard.
 */
@Global()
@Module({
  providers: [DnsResolver, SsrfGuard, GuardedHttpClient],
  exports: [DnsResolver, SsrfGuard, GuardedHttpClient],
})
export class OutboundModule {}
