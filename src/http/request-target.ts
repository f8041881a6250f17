/** `scheme://authority` at the start of an absolute-form request target (RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The request target in origin form: path and query, no scheme, no host.
 *
 * HTTP/1.1 servers must accept the absolute form (`POST http://host:port/ams/api/...`),
 * and the official Antom Python SDK sends exactly that while it signs only the
 * path. Every signature in this product covers the origin form, and routing
 * needs it too, so the whole app sees requests this way (Fastify `rewriteUrl`).
 * Origin form passes through untouched; so do the asterisk form (`OPTIONS *`)
 * and anything else that is not absolute, which then simply matches no route.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 0x2f) return target; // '/': already origin form, the usual case
  const authority = ABSOLUTE_FORM.exec(target);
  if (authority === null) return target;
  const rest = target.slice(authority[0].length);
  // `http://host` and `http://host?q` name the root path (RFC 9110 §4.2.3 normalisation).
  return rest.startsWith('/') ? rest : `/${rest}`;
}
