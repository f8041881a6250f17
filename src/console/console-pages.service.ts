import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { AuditTrail } from '../operators/audit-trail';
import { AuthThrottle } from '../operators/auth-throttle';
import { clearedSessionCookie, CSRF_HEADER, isCrossSite, readCookie, sessionCookie, sessionCookieName } from '../operators/console-cookie';
import { ConsoleSessions, SESSION_TTL_MS, type ConsoleSession } from '../operators/console-sessions';
import type { Operator } from '../operators/operator';
import { OperatorDirectory } from '../operators/operator-directory';
import type { ConsoleAnswer } from './console-answer';
import { isConsolePage, layout, loginPage } from './views/layout.view';
import { PAGE_BODIES, PAGE_TITLES } from './views/pages.view';

const HOME = '/console/merchants';
const LOGIN = '/console/login';
/** A log-in form is a token and a few bytes: anything bigger is not read. */
export const MAX_LOGIN_BODY_BYTES = 4 * 1024;

/**
 * Which page or redirect each console request gets. Pages need a live
 * session (by cookie); log-in is throttled per client address, and refused,
 * like log-out, when the browser says another site sent it; log-out also
 * needs the session's CSRF token. Log-ins and log-outs go to the audit trail.
 */
@Injectable()
export class ConsolePagesService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'>,
    private readonly sessions: ConsoleSessions,
    private readonly operators: OperatorDirectory,
    private readonly throttle: AuthThrottle,
    private readonly audit: AuditTrail,
  ) {}

  async loginForm(req: FastifyRequest): Promise<ConsoleAnswer> {
    if (await this.session(req)) return { kind: 'redirect', location: HOME };
    return { kind: 'html', status: 200, html: loginPage() };
  }

  async logIn(req: FastifyRequest): Promise<ConsoleAnswer> {
    if (isCrossSite(req)) return { kind: 'html', status: 403, html: loginPage('This form was sent from another site. Open the console and log in there.') };
    const ticket = await this.throttle.attempt('console', req.ip);
    if (!ticket.allowed) {
      return {
        kind: 'html',
        status: 429,
        html: loginPage(`Too many failed log-ins from this address. Try again in ${ticket.retryAfterSeconds} seconds.`),
        headers: { 'retry-after': String(ticket.retryAfterSeconds) },
      };
    }
    let operator: Operator | null;
    try {
      operator = await this.operators.byToken(formField(req, 'token'));
    } catch (err) {
      await ticket.abandoned();
      throw err;
    }
    if (!operator) {
      await ticket.failed();
      return { kind: 'html', status: 401, html: loginPage('That is not an operator token.') };
    }
    await ticket.succeeded();
    // A fresh random id at every log-in: a cookie planted before it (session fixation) is never promoted.
    const planted = this.sessionId(req);
    if (planted) await this.sessions.destroy(planted);
    const session = await this.sessions.create(operator, req.ip);
    await this.audit.record({ actor: operator, action: 'console.login', target: null, status: 303, ip: req.ip });
    return { kind: 'redirect', location: HOME, cookie: sessionCookie(this.config, session.id, Math.floor(SESSION_TTL_MS / 1000)) };
  }

  async logOut(req: FastifyRequest): Promise<ConsoleAnswer> {
    const header = req.headers[CSRF_HEADER];
    const byScript = typeof header === 'string';
    if (isCrossSite(req)) return { kind: 'empty', status: 403 };
    const session = await this.session(req);
    if (session) {
      const csrf = byScript ? header : formField(req, 'csrf');
      if ((await this.sessions.findWithCsrf(session.id, csrf)) === null) return { kind: 'empty', status: 403 };
      await this.sessions.destroy(session.id);
      await this.audit.record({ actor: session.operator, action: 'console.logout', target: null, status: byScript ? 204 : 303, ip: req.ip });
    }
    const cookie = clearedSessionCookie(this.config);
    return byScript ? { kind: 'empty', status: 204, cookie } : { kind: 'redirect', location: LOGIN, cookie };
  }

  async page(name: string, req: FastifyRequest): Promise<ConsoleAnswer> {
    if (!isConsolePage(name)) return { kind: 'html', status: 404, html: loginPage('No such console page.') };
    const session = await this.session(req);
    if (!session) {
      const stale = this.sessionId(req) !== undefined;
      return { kind: 'redirect', location: LOGIN, cookie: stale ? clearedSessionCookie(this.config) : undefined };
    }
    return { kind: 'html', status: 200, html: layout(name, PAGE_TITLES[name], session.csrfToken, session.operator, PAGE_BODIES[name]) };
  }

  private session(req: FastifyRequest): Promise<ConsoleSession | null> {
    return this.sessions.find(this.sessionId(req));
  }

  private sessionId(req: FastifyRequest): string | undefined {
    return readCookie(req, sessionCookieName(this.config));
  }
}

/**
 * A field of the posted form: the console's own forms are urlencoded, and
 * small. The gateway keeps every body raw, so the console reads its forms
 * itself, and reads nothing bigger than a form.
 */
function formField(req: FastifyRequest, name: string): string | undefined {
  const type = (req.declaredContentType ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') || !req.rawBody || req.rawBody.length > MAX_LOGIN_BODY_BYTES) return undefined;
  return new URLSearchParams(req.rawBody.toString('utf8')).get(name) ?? undefined;
}
