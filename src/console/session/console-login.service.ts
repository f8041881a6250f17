import { Inject, Injectable } from '@nestjs/common';
import { safeEqual } from '../../common/crypto/safe-equal';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';
import { ConsoleSessionStore, type ConsoleSession } from './console-session.store';

/** Console log-in and log-out: the admin token buys a session; the token itself is not kept. */
@Injectable()
export class ConsoleLoginService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'adminApiToken'>,
    private readonly sessions: ConsoleSessionStore,
  ) {}

  /** A new session for the right admin token; null for anything else (compared in constant time, never kept). */
  logIn(presentedToken: string | undefined): ConsoleSession | null {
    if (!presentedToken || !safeEqual(presentedToken, this.config.adminApiToken)) return null;
    return this.sessions.create();
  }

  /** Ends the session if the CSRF token is its own; false (nothing changed) otherwise. */
  logOut(sessionId: string | undefined, csrfToken: string | undefined): boolean {
    const session = this.sessions.findWithCsrf(sessionId, csrfToken);
    if (!session) return false;
    this.sessions.destroy(session.id);
    return true;
  }
}
