import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AdminSessionAuth } from '../../admin/http/admin-token.guard';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';
import { readCookie, sessionCookieName } from './console-cookie';
import { ConsoleSessionStore, type ConsoleSession } from './console-session.store';

/** The header the console's JS sends its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The console's way into the admin API, consulted by AdminTokenGuard when no
 * bearer token is sent: a live session cookie AND its CSRF token in
 * `X-CSRF-Token`, on every method (reads too, so no other page can use the
 * cookie at all). SameSite=Strict already keeps the cookie off cross-site
 * requests; the header is the second lock, and one no form can set.
 */
@Injectable()
export class ConsoleSessionAuth implements AdminSessionAuth {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'>,
    private readonly sessions: ConsoleSessionStore,
  ) {}

  accepts(req: FastifyRequest): boolean {
    const header = req.headers[CSRF_HEADER];
    return this.sessions.findWithCsrf(this.sessionId(req), typeof header === 'string' ? header : undefined) !== null;
  }

  /** The request's live session, by cookie alone: for the console's own pages (GET, no side effects). */
  session(req: FastifyRequest): ConsoleSession | null {
    return this.sessions.find(this.sessionId(req));
  }

  sessionId(req: FastifyRequest): string | undefined {
    return readCookie(req, sessionCookieName(this.config));
  }
}
