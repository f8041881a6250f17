import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway-config';

/** The header the console's JS sends its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Strict (no
 * other site's page can make the browser send it), Path=/ (the console's JS
 * calls /admin/v1 with it). In production it is Secure and takes the
 * `__Host-` prefix, which browsers only accept from HTTPS with Path=/ and no
 * Domain, so no subdomain can plant or overwrite it.
 */
export function sessionCookieName(config: Pick<GatewayConfig, 'nodeEnv'>): string {
  return config.nodeEnv === 'production' ? '__Host-acqp_console' : 'acqp_console';
}

export function sessionCookie(config: Pick<GatewayConfig, 'nodeEnv'>, value: string, maxAgeSeconds: number): string {
  const secure = config.nodeEnv === 'production' ? '; Secure' : '';
  return `${sessionCookieName(config)}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

export function clearedSessionCookie(config: Pick<GatewayConfig, 'nodeEnv'>): string {
  return sessionCookie(config, '', 0);
}

/** The value of one cookie from the `Cookie` header (RFC 6265 syntax; the first one wins). */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * True when the browser says the request comes from another site: by
 * `Sec-Fetch-Site` where the browser sends it (anything but same-origin or a
 * typed-in `none`), else by an `Origin` whose host is not ours (`null`
 * included). For the log-in and log-out forms, which cannot carry a
 * session's CSRF token. A request with neither header (curl) is not a
 * browser's, so it has no cookie to abuse.
 */
export function isCrossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}
