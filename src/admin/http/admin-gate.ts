import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';
import { readCookie, sessionCookieName } from '../../operators/console-cookie';
import { ConsoleSessions } from '../../operators/console-sessions';
import type { Operator } from '../../operators/operator';
import { OperatorDirectory } from '../../operators/operator-directory';
import { AuthThrottle } from '../../operators/auth-throttle';
import type { AdminErrorResponse } from './admin-error.response';
import { CSRF_HEADER } from '../../operators/console-cookie';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling the operator API: set by AdminGate before routing, for every /admin/ request it lets through. */
    operator?: Operator;
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Authentication of the operator API, as a Fastify onRequest hook: before
 * routing answers, before a body is read, for every /admin/ path, real or
 * not. In order:
 * 1. an address locked out by failed attempts gets 429 with Retry-After;
 * 2. `Authorization: Bearer <token>` (ADMIN_API_TOKEN or an operator token),
 *    or, with no Authorization header at all, a console session cookie AND
 *    its CSRF token in `X-CSRF-Token` (reads too, so no other page can use
 *    the cookie); anything else is a 401 in our error envelope that never
 *    says what was wrong, and a wrong credential counts against the address;
 * 3. an unknown admin route, once authenticated, is a 404 in our envelope.
 * What an operator may then do is AdminAccessGuard's decision.
 */
@Injectable()
export class AdminGate {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'>,
    private readonly operators: OperatorDirectory,
    private readonly sessions: ConsoleSessions,
    private readonly throttle: AuthThrottle,
  ) {}

  readonly onRequest = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!isAdminPath(req)) return undefined;
    const ticket = await this.throttle.attempt('admin', req.ip);
    if (!ticket.allowed) {
      return send(reply, 429, 'REQUEST_TRAFFIC_EXCEED_LIMIT', `too many failed authentications from this address; retry in ${ticket.retryAfterSeconds} s`, {
        'retry-after': String(ticket.retryAfterSeconds),
      });
    }
    let found: { operator: Operator | null; presented: boolean };
    try {
      found = await this.authenticate(req);
    } catch (err) {
      await ticket.abandoned();
      throw err;
    }
    const { operator, presented } = found;
    if (!operator) {
      // A guess is counted against the address; a request that presents nothing guesses nothing.
      await (presented ? ticket.failed() : ticket.abandoned());
      return send(reply, 401, 'UNAUTHORIZED', 'a valid admin bearer token is required', { 'www-authenticate': 'Bearer realm="admin"' });
    }
    await ticket.succeeded();
    req.operator = operator;
    if (req.is404) return send(reply, 404, 'NOT_FOUND', 'no such admin route');
    return undefined;
  };

  private async authenticate(req: FastifyRequest): Promise<{ operator: Operator | null; presented: boolean }> {
    const header = req.headers.authorization;
    if (header !== undefined)
      return { operator: await this.operators.byToken(typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined), presented: true };
    const cookie = readCookie(req, sessionCookieName(this.config));
    if (cookie === undefined) return { operator: null, presented: false };
    const csrf = req.headers[CSRF_HEADER];
    const session = await this.sessions.findWithCsrf(cookie, typeof csrf === 'string' ? csrf : undefined);
    return { operator: session?.operator ?? null, presented: true };
  }
}

/**
 * Whether the router will take this request to the admin API: by the route it
 * matched, or for no route, by the path as the router reads it (decoded), so
 * that `/%61dmin/...` cannot reach an admin route around this gate.
 */
function isAdminPath(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  if (route !== undefined) return underAdmin(route);
  const path = req.url.split('?')[0];
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Not decodable: the router will not match it to a route either; judge the path as sent.
  }
  return underAdmin(path) || underAdmin(decoded);
}

function underAdmin(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/');
}

function send(reply: FastifyReply, status: number, code: string, message: string, headers: Record<string, string> = {}): FastifyReply {
  const body: AdminErrorResponse = { error: { code, message } };
  return reply
    .status(status)
    .headers({ ...headers, 'cache-control': 'no-store' })
    .send(body);
}
