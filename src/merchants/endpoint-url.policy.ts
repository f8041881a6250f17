import { Inject, Injectable, Optional } from '@nestjs/common';
import { DnsResolver, SsrfBlockedError, SsrfGuard } from '../outbound/ssrf-guard';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';

/** Longest URL the callback_endpoints and merchants tables hold. */
export const MAX_URL_LENGTH = 2048;
/** Registration waits this long for DNS; a slower name is judged at send time instead. */
const RESOLVE_BUDGET_MS = 3_000;

/**
 * Decides whether the gateway may call a URL an operator configured (callback
 * endpoints, consult URLs). Every such URL goes through `check` before it is
 * stored, so the SSRF guard (resolved-address checks) has one place to live.
 *
 * It parses, it is http(s), https in production, it carries no credentials
 * (they would be shown in every list answer), and its host is not, and does
 * not resolve to, a private or reserved address (the SSRF guard the
 * dispatcher applies again at send time, on the addresses it connects to).
 */
@Injectable()
export class EndpointUrlPolicy {
  private readonly guard: SsrfGuard;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'> & { callbacks?: Pick<GatewayConfig['callbacks'], 'allowPrivateNetworks'> },
    // Optional so the policy also works where the global guard is not provided (e.g. a module under test alone).
    @Optional() guard?: SsrfGuard,
  ) {
    this.guard = guard ?? new SsrfGuard(config, new DnsResolver());
  }

  /** Throws PARAM_ILLEGAL naming `field` and the reason; resolves the host, so it may take up to 3 s. */
  async check(url: string, field = 'url'): Promise<void> {
    const refuse = (reason: string): never => {
      throw new DomainError(ErrorCode.PARAM_ILLEGAL, `${field}: ${reason}`);
    };
    if (url.length > MAX_URL_LENGTH) refuse(`must be at most ${MAX_URL_LENGTH} characters`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse('is not a valid URL');
    }
    const production = this.config.nodeEnv === 'production';
    if (parsed.protocol !== 'https:' && (production || parsed.protocol !== 'http:')) {
      refuse(production ? 'must use https in production' : 'must use http or https');
    }
    if (parsed.hostname === '') refuse('must name a host');
    if (parsed.username !== '' || parsed.password !== '') refuse('must not carry credentials');
    const blocked = await this.resolvesToBlocked(parsed.hostname);
    if (blocked) refuse(`must not point at a private or reserved address (${blocked.address} is ${blocked.reason})`);
  }

  /**
   * The refused address the host is or resolves to, if any. A name that does
   * not resolve now (not yet in DNS, no network) is accepted: it cannot be
   * judged, and the send-time guard refuses it should it resolve badly later.
   */
  private async resolvesToBlocked(hostname: string): Promise<SsrfBlockedError | null> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'TIMEOUT'>((resolve) => (timer = setTimeout(() => resolve('TIMEOUT'), RESOLVE_BUDGET_MS)));
    try {
      await Promise.race([this.guard.resolve(hostname), budget]);
      return null;
    } catch (err) {
      if (err instanceof SsrfBlockedError) return err;
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
