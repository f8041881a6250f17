import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { ConsoleAnswer } from './console-answer';
import { clearedSessionCookie, isCrossSite, sessionCookie } from './session/console-cookie';
import { ConsoleLoginService } from './session/console-login.service';
import { ConsoleSessionAuth, CSRF_HEADER } from './session/console-session.auth';
import { SESSION_TTL_MS } from './session/console-session.store';
import { isConsolePage, layout, loginPage } from './views/layout.view';
import { PAGE_BODIES, PAGE_TITLES } from './views/pages.view';

const HOME = '/console/merchants';
const LOGIN = '/console/login';

/**
 * Which page or redirect each console request gets. Pages need a live
 * session (by cookie); log-in and log-out are refused when the browser says
 * another site sent them, and log-out also needs the session's CSRF token.
 */
@Injectable()
export class ConsolePagesService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'>,
    private readonly login: ConsoleLoginService,
    private readonly auth: ConsoleSessionAuth,
  ) {}

  loginForm(req: FastifyRequest): ConsoleAnswer {
    if (this.auth.session(req)) return { kind: 'redirect', location: HOME };
    return { kind: 'html', status: 200, html: loginPage() };
  }

  logIn(req: FastifyRequest): ConsoleAnswer {
    if (isCrossSite(req)) return { kind: 'html', status: 403, html: loginPage('This form was sent from another site. Open the console and log in there.') };
    const session = this.login.logIn(formField(req, 'token'));
    if (!session) return { kind: 'html', status: 401, html: loginPage('That is not the admin API token.') };
    // A fresh random id at every log-in: a cookie planted before it (session fixation) is never promoted.
    this.login.logOut(this.auth.sessionId(req), this.auth.session(req)?.csrfToken);
    return { kind: 'redirect', location: HOME, cookie: sessionCookie(this.config, session.id, Math.floor(SESSION_TTL_MS / 1000)) };
  }

  logOut(req: FastifyRequest): ConsoleAnswer {
    const header = req.headers[CSRF_HEADER];
    const byScript = typeof header === 'string';
    if (isCrossSite(req)) return { kind: 'empty', status: 403 };
    if (this.auth.session(req) && !this.login.logOut(this.auth.sessionId(req), byScript ? header : formField(req, 'csrf'))) {
      return { kind: 'empty', status: 403 };
    }
    const cookie = clearedSessionCookie(this.config);
    return byScript ? { kind: 'empty', status: 204, cookie } : { kind: 'redirect', location: LOGIN, cookie };
  }

  page(name: string, req: FastifyRequest): ConsoleAnswer {
    if (!isConsolePage(name)) return { kind: 'html', status: 404, html: loginPage('No such console page.') };
    const session = this.auth.session(req);
    if (!session) {
      const stale = this.auth.sessionId(req) !== undefined;
      return { kind: 'redirect', location: LOGIN, cookie: stale ? clearedSessionCookie(this.config) : undefined };
    }
    return { kind: 'html', status: 200, html: layout(name, PAGE_TITLES[name], session.csrfToken, PAGE_BODIES[name]) };
  }
}

/**
 * A field of the posted form: the console's own forms are urlencoded. The
 * gateway keeps every body raw, so the console reads its forms itself.
 */
function formField(req: FastifyRequest, name: string): string | undefined {
  const type = (req.declaredContentType ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') || !req.rawBody) return undefined;
  return new URLSearchParams(req.rawBody.toString('utf8')).get(name) ?? undefined;
}
