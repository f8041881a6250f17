import fc from 'fast-check';
import { junkBody, refusedBody, splice } from './bodies';
import { validBody, type Overrides } from './dto-model';
import { invalidBody } from './dto-mutations';
import type { AuthFault, BodySpec, FuzzContext, Plan, SignSpec } from './plan';
import { raw } from './raw-requests';
import type { Route } from './routes';
import {
  anyTime,
  badTime,
  clientIdHeader,
  contentType,
  extraHeaders,
  fillTemplate,
  garbageSignature,
  goodTime,
  headerValue,
  idFor,
  jsonContentType,
  junkQuery,
  latin1,
  mangled,
  METHODS,
  paramsOf,
  queryString,
  type IdKind,
} from './wire-grammar';

// Request plans for the HTTP fuzz: plain data drawn by fast-check from a fixed
// seed, turned into bytes only when sent (signatures need the time of sending).
//
// Every plan is bad input by construction, so none may change state:
// - signed protocol calls carry a body the DTO refuses (the property specs
//   prove the mutations are refused), a body that does not parse, or a valid
//   body with a `__proto__` key the parser must refuse;
// - protocol calls with a valid body always carry exactly one broken part of
//   the authentication (signature, key, bytes, path, time or client id);
// - admin calls with the right token send DTO-invalid bodies, or act on ids
//   that do not exist; the seeded merchant's id only ever comes with a body
//   the DTO refuses.

function overridesFor(route: Route, ctx: FuzzContext): Overrides {
  const token = fc.constant(ctx.activeToken);
  if (route.signer === 'merchant') return { accessToken: token, merchantAccountId: fc.constantFrom(ctx.merchant.subAccountId, null) };
  return { accessToken: token, referenceMerchantId: fc.constant(ctx.merchant.referenceMerchantId) };
}

const protocolRoutes = (ctx: FuzzContext) => ctx.routes.filter((r) => r.kind === 'protocol');

/**
 * One arbitrary per route, built once and picked evenly: building a route's
 * body generators on every draw (a `chain`) made sampling 10,000 plans slow.
 */
function eachRoute(routes: Route[], plansFor: (route: Route) => fc.Arbitrary<Plan>): fc.Arbitrary<Plan> {
  return fc.oneof(...routes.map(plansFor));
}

/** Correctly signed protocol calls (every accepted header spelling) whose body must be refused. */
function signedBadBody(ctx: FuzzContext): fc.Arbitrary<Plan> {
  return eachRoute(protocolRoutes(ctx), (route) =>
    fc
      .record({
        body: refusedBody(route.bodyModels!, overridesFor(route, ctx)),
        time: goodTime,
        format: fc.constantFrom<SignSpec['format']>('standard', 'standard', 'lowercase-escapes', 'unencoded', 'spaces', 'no-key-version'),
        headerCase: fc.constantFrom<SignSpec['headerCase']>('Title', 'lower', 'UPPER'),
        query: fc.oneof({ arbitrary: fc.constant(''), weight: 8 }, { arbitrary: junkQuery.filter((q) => q.length < 2000), weight: 1 }),
        contentType: fc.oneof({ arbitrary: jsonContentType, weight: 8 }, { arbitrary: contentType, weight: 2 }),
        headers: extraHeaders.map((hs) => hs.filter(([name]) => !['client-id', 'request-time', 'signature'].includes(name.toLowerCase()))),
        chunked: fc.boolean(),
      })
      .map((r): Plan => ({
        category: 'signed-bad-body',
        route,
        method: 'POST',
        path: r.query ? `${route.template}?${r.query}` : route.template,
        exact: true,
        headers: r.headers,
        contentType: r.contentType,
        body: r.body.body,
        chunked: r.chunked,
        sign: { signer: route.signer!, fault: 'none', time: r.time, format: r.format, headerCase: r.headerCase },
        what: r.body.what,
      })),
  );
}

const AUTH_FAULTS: AuthFault[] = [
  'garbage-signature',
  'wrong-key',
  'other-bytes',
  'other-path',
  'stale-time',
  'unparseable-time',
  'wrong-client',
  'missing-client',
  'missing-signature',
  'missing-time',
];

/** Protocol calls with a VALID body and exactly one broken part of the authentication. */
function badAuth(ctx: FuzzContext): fc.Arbitrary<Plan> {
  return eachRoute(protocolRoutes(ctx), (route) =>
    fc
      .record({
        valid: fc.oneof(...route.bodyModels!.map((model) => validBody(model, overridesFor(route, ctx)).map((body) => ({ model, body })))),
        fault: fc.constantFrom(...AUTH_FAULTS),
        good: goodTime,
        bad: badTime,
        garbage: garbageSignature,
        contentType: fc.oneof({ arbitrary: jsonContentType, weight: 4 }, { arbitrary: contentType, weight: 1 }),
        chunked: fc.boolean(),
      })
      .map((r): Plan => ({
        category: 'bad-auth',
        route,
        method: 'POST',
        path: route.template,
        exact: true,
        headers: [],
        contentType: r.contentType,
        body: { kind: 'json', value: r.valid.body },
        chunked: r.chunked,
        sign: {
          signer: route.signer!,
          fault: r.fault,
          time: r.fault === 'stale-time' || r.fault === 'unparseable-time' ? r.bad : r.good,
          format: 'standard',
          headerCase: 'Title',
          garbage: r.garbage,
        },
        what: `${r.valid.model.name} valid, ${r.fault}`,
      })),
  );
}

/** Unsigned anything: any route or none, any method, mangled paths, odd headers, any body. */
function junk(ctx: FuzzContext): fc.Arbitrary<Plan> {
  return eachRoute(ctx.routes, (route) =>
    fc
      .record({
        method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 3 }, { arbitrary: fc.constantFrom(...METHODS), weight: 2 }),
        ids: fc.record(Object.fromEntries(paramsOf(route.template).map((p) => [p, fc.constantFrom<IdKind>('random', 'garbage').chain((k) => idFor(k, ctx))]))),
        mangle: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.constant('mangle'), weight: 2 }, { arbitrary: junkQuery, weight: 1 }),
        clientId: clientIdHeader(ctx),
        time: fc.option(anyTime),
        signature: fc.option(garbageSignature),
        authorization: fc.option(
          fc.oneof(
            fc.constantFrom('Bearer wrong', 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer ', ''),
            headerValue.map((v) => `Bearer ${v}`),
          ),
        ),
        contentType,
        headers: extraHeaders,
        body: junkBody,
        chunked: fc.boolean(),
      })
      .chain((r) => {
        const path = fillTemplate(route.template, r.ids);
        const pathArb = r.mangle === 'mangle' ? mangled(path) : fc.constant(r.mangle ? `${path}?${r.mangle}` : path);
        return pathArb.map((sent): Plan => {
          const headers: Array<[string, string | string[]]> = [...r.headers];
          if (r.clientId !== null) headers.push(['Client-Id', r.clientId]);
          if (r.signature !== null) headers.push(['Signature', r.signature]);
          if (r.authorization !== null) headers.push(['Authorization', latin1(r.authorization)]);
          return {
            category: 'junk',
            route,
            method: r.method,
            path: sent,
            exact: sent.split('?')[0] === path && !route.template.includes('{'),
            headers,
            contentType: r.contentType,
            body: r.body,
            chunked: r.chunked,
            time: r.time ?? undefined,
            what: 'junk',
          };
        });
      }),
  );
}

/** Operator API: mostly the right token with bodies, queries and ids that must be refused. */
function admin(ctx: FuzzContext): fc.Arbitrary<Plan> {
  const adminRoutes = ctx.routes.filter((r) => r.kind === 'admin');
  return eachRoute(adminRoutes, (route) => {
    const params = paramsOf(route.template);
    const model = route.bodyModels?.[0];
    const reading = route.method === 'GET';
    return fc
      .record({
        token: fc.constantFrom<'right' | 'wrong' | 'none'>('right', 'right', 'right', 'right', 'wrong', 'none'),
        wrongToken: fc.constantFrom(
          'Bearer wrong-token-0123456789abcdef',
          'bearer test-admin-token-0123456789abcdeX',
          'Basic dGVzdA==',
          'Bearer test-admin-token-0123456789abcde',
          'Token test-admin-token-0123456789abcdef',
        ),
        rightTokenSpelling: fc.constantFrom('Bearer %s', 'bearer %s', 'Bearer  %s ', 'BEARER %s'),
        // Bodies the DTO refuses may go to the seeded merchant; anything else only to ids that do not exist.
        bodyChoice: model
          ? fc.oneof(
              { arbitrary: invalidBody(model).map((i) => ({ refused: true as const, i, splice: undefined })), weight: 12 },
              // Unknown members make any admin body invalid: a nested, huge or prototype-keyed one too.
              {
                arbitrary: fc.tuple(invalidBody(model), splice).map(([i, sp]) => ({ refused: true as const, i, splice: sp })),
                weight: 3,
              },
              { arbitrary: junkBody.map((b) => ({ refused: false as const, b })), weight: 3 },
            )
          : junkBody.map((b) => ({ refused: false as const, b })),
        queryChoice: route.queryModel
          ? fc.oneof(
              { arbitrary: invalidBody(route.queryModel).map((i) => queryString(i.body as Record<string, unknown>)), weight: 3 },
              { arbitrary: validBody(route.queryModel).map((v) => queryString(v)), weight: 1 },
              { arbitrary: junkQuery, weight: 1 },
            )
          : fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: junkQuery, weight: 1 }),
        contentType: fc.oneof({ arbitrary: jsonContentType, weight: 5 }, { arbitrary: contentType, weight: 1 }),
        jsonContentType,
        headers: extraHeaders.map((hs) => hs.filter(([name]) => name.toLowerCase() !== 'authorization')),
        chunked: fc.boolean(),
        mangle: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      })
      .chain((r) => {
        const safeBody = r.bodyChoice.refused || reading;
        const kinds: IdKind[] = safeBody ? ['random', 'garbage', 'seeded-merchant', 'seeded-sub', 'active-token'] : ['random', 'garbage'];
        const ids = fc.record(Object.fromEntries(params.map((p) => [p, fc.constantFrom(...kinds).chain((k) => idFor(k, ctx))])));
        return ids.chain((idValues) => {
          const path = fillTemplate(route.template, idValues);
          const pathArb = r.mangle ? mangled(path) : fc.constant(r.queryChoice ? `${path}?${r.queryChoice}` : path);
          return pathArb.map((sent): Plan => {
            const headers: Array<[string, string | string[]]> = [...r.headers];
            if (r.token === 'right') headers.push(['Authorization', r.rightTokenSpelling.replace('%s', '@@ADMIN_TOKEN@@')]);
            if (r.token === 'wrong') headers.push(['Authorization', r.wrongToken]);
            const choice = r.bodyChoice;
            const body: BodySpec = choice.refused ? { kind: 'json', value: choice.i.body, splice: choice.splice } : choice.b;
            return {
              category: 'admin',
              route,
              method: route.method,
              path: sent,
              exact: !r.mangle,
              headers,
              // A refused body reaches the seeded merchant only as JSON: without a content type an
              // empty PATCH would validate as "no changes".
              contentType: r.bodyChoice.refused ? r.jsonContentType : r.contentType,
              body,
              chunked: r.chunked,
              admin: r.token,
              what: choice.refused ? `${model!.name} ${choice.i.what}${choice.splice ? ` + ${choice.splice.kind}` : ''}` : 'junk body',
            };
          });
        });
      });
  });
}

/** Health, metrics, docs, the console pages and the (absent) simulator, with odd methods, queries and headers. */
function ops(ctx: FuzzContext): fc.Arbitrary<Plan> {
  const routes = ctx.routes.filter((r) => r.kind !== 'protocol' && r.kind !== 'admin');
  return eachRoute(routes, (route) =>
    fc
      .record({
        method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 4 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
        mangle: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.constant('mangle'), weight: 2 }, { arbitrary: junkQuery, weight: 1 }),
        headers: extraHeaders,
        body: fc.oneof({ arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 4 }, { arbitrary: junkBody, weight: 1 }),
        contentType,
        ids: fc.record(Object.fromEntries(paramsOf(route.template).map((p) => [p, fc.constantFrom<IdKind>('random', 'garbage').chain((k) => idFor(k, ctx))]))),
      })
      .chain((r) => {
        const path = fillTemplate(route.template, r.ids);
        const pathArb = r.mangle === 'mangle' ? mangled(path) : fc.constant(r.mangle ? `${path}?${r.mangle}` : path);
        return pathArb.map((sent): Plan => ({
          category: 'ops',
          route,
          method: r.method,
          path: sent,
          exact: sent.split('?')[0] === path && !route.template.includes('{'),
          headers: r.headers,
          contentType: r.body.kind === 'none' ? null : r.contentType,
          body: r.body,
          chunked: false,
          what: 'ops',
        }));
      }),
  );
}

/** Every category in one stream, weighted toward what reaches validators. */
export function planArbitrary(ctx: FuzzContext): fc.Arbitrary<Plan> {
  return fc.oneof(
    { arbitrary: junk(ctx), weight: 30 },
    { arbitrary: signedBadBody(ctx), weight: 30 },
    { arbitrary: badAuth(ctx), weight: 12 },
    { arbitrary: admin(ctx), weight: 20 },
    { arbitrary: ops(ctx), weight: 5 },
    { arbitrary: raw(), weight: 3 },
  );
}
