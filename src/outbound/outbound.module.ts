import { Global, Module } from '@nestjs/common';
import { DnsResolver, SsrfGuard } from './ssrf-guard';

/**
 * The SSRF guard and its resolver, global because two sides use them: the
 * dispatcher at send time, and EndpointUrlPolicy (merchants) at registration.
 */
@Global()
@Module({
  providers: [DnsResolver, SsrfGuard],
  exports: [DnsResolver, SsrfGuard],
})
export class CallbackNetworkModule {}
