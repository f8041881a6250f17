import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { declaredType, type SignedRouteHandler } from './signed-call.handler';
import { CONTROL_PREFIX, WALLET_AUTHORIZE_PATH } from './simulator.paths';
import type { AuthorizationInput, ConsentRef, IssuedAuthorization, SimulatedApi, SimulatorControls, SimulatorRule } from './simulator.types';
import { consentPage } from './wallet.page';

export { CONTROL_PREFIX } from './simulator.paths';

/** The APIs `POST /_simulator/rules` sets rules for (`api`, default cancelToken), and the body field each is keyed by. */
const RULE_APIS = {
  cancelToken: { keys: ['accessToken'], set: (s, key, rule) => s.setRule(key, rule) },
  prepare: { keys: ['authState'], set: (s, key, rule) => s.setPrepareRule(key, rule) },
  applyToken: { keys: ['authCode', 'refreshToken'], set: (s, key, rule) => s.setApplyTokenRule(key, rule) },
} satisfies Record<SimulatedApi, { keys: readonly string[]; set: (s: SimulatorControls, key: string, rule: SimulatorRule | null) => void }>;

/**
 * The simulator's routes, in an encapsulated context with its own raw-body
 * parsers: signatures are over the bytes as received, so nothing may parse
 * (or refuse) the body before the route sees it, whatever the host app
 * installed at its root.
 */
export function simulatorPlugin(simulator: SimulatorControls, signedRoutes: Record<string, SignedRouteHandler>): FastifyPluginAsync {
  return async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    const keepBytes = (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: Buffer) => void) => done(null, body);
    instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, keepBytes);
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, keepBytes);

    for (const [path, handle] of Object.entries(signedRoutes)) {
      instance.post(path, async (request, reply) => {
        await handle(request, reply);
        return reply;
      });
    }

    instance.post(`${CONTROL_PREFIX}/rules`, async (request, reply) => {
      const input = jsonObject(request);
      const apiName = input?.api ?? 'cancelToken';
      const api = typeof apiName === 'string' && Object.hasOwn(RULE_APIS, apiName) ? RULE_APIS[apiName as SimulatedApi] : undefined;
      const key = api?.keys.map((field) => input?.[field]).find((value) => value !== undefined);
      if (api === undefined || typeof key !== 'string' || key === '' || input?.rule === undefined) {
        return badRequest(
          reply,
          'expected {"api"?: "cancelToken" | "prepare" | "applyToken", "accessToken" | "authState" | "authCode" | "refreshToken": "<key>" | "*", "rule": {...} | [...] | null}',
        );
      }
      try {
        api.set(simulator, key, input.rule as SimulatorRule | null);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      return { ok: true };
    });

    instance.get(`${CONTROL_PREFIX}/received`, async (request) => {
      const { accessToken } = request.query as { accessToken?: string };
      return { received: accessToken ? simulator.receivedFor(accessToken) : simulator.received() };
    });

    instance.post(`${CONTROL_PREFIX}/authorizations`, async (request, reply) => {
      const input = jsonObject(request);
      if (typeof input?.referenceMerchantId !== 'string' || input.referenceMerchantId === '') {
        return badRequest(reply, 'referenceMerchantId is required');
      }
      const issued = await simulator.issueAuthorization(input as unknown as AuthorizationInput);
      return withoutHandles(issued);
    });

    instance.post(`${CONTROL_PREFIX}/wallet-cancel`, async (request, reply) => {
      const accessToken = jsonObject(request)?.accessToken;
      if (typeof accessToken !== 'string' || accessToken === '') return badRequest(reply, 'accessToken is required');
      const handle = await simulator.cancelFromWallet(accessToken);
      return { notificationId: handle.id, state: handle.state() };
    });

    instance.get(WALLET_AUTHORIZE_PATH, async (request, reply) => {
      const { ticket } = request.query as { ticket?: string };
      const consent = ticket ? simulator.pendingConsent(ticket) : undefined;
      if (!consent) return notFound(reply, 'no pending consent for this ticket');
      return reply.type('text/html; charset=utf-8').send(consentPage(consent));
    });

    // The user authorizes: a form post (the consent page) is sent on to the merchant with 303, a JSON post gets the code.
    instance.post(WALLET_AUTHORIZE_PATH, async (request, reply) => {
      const fromForm = declaredType(request).startsWith('application/x-www-form-urlencoded');
      const ref = consentRef(fromForm ? formObject(request) : jsonObject(request));
      if (ref === undefined) return badRequest(reply, 'expected {"ticket": "..."} or {"authState": "..."}');
      if (!simulator.pendingConsent(ref)) return notFound(reply, 'no pending consent for this ticket or authState');
      const { authCode, authState, redirectUrl } = await simulator.authorizeConsent(ref);
      if (fromForm) return reply.code(303).header('location', redirectUrl).send();
      return { authCode, authState, redirectUrl };
    });

    instance.get(`${CONTROL_PREFIX}/notifications`, async () => ({
      attempts: simulator.notificationAttempts(),
      pending: simulator.pendingNotifications(),
    }));

    instance.post(`${CONTROL_PREFIX}/flush-retries`, async () => {
      await simulator.flushRetries();
      return { pending: simulator.pendingNotifications().length };
    });

    instance.post(`${CONTROL_PREFIX}/reset`, async () => {
      simulator.reset();
      return { ok: true };
    });
  };
}

function jsonObject(request: FastifyRequest): Record<string, unknown> | undefined {
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) return undefined;
  try {
    const value: unknown = sjson.parse(request.body.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function formObject(request: FastifyRequest): Record<string, unknown> | undefined {
  if (!Buffer.isBuffer(request.body)) return undefined;
  return Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
}

function consentRef(input: Record<string, unknown> | undefined): ConsentRef | undefined {
  if (typeof input?.ticket === 'string' && input.ticket !== '') return input.ticket;
  if (typeof input?.authState === 'string' && input.authState !== '') return { authState: input.authState };
  return undefined;
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).send({ error: 'NOT_FOUND', message });
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: 'BAD_REQUEST', message });
}

function withoutHandles(issued: IssuedAuthorization): Record<string, unknown> {
  const { notifications, ...record } = issued;
  return {
    ...record,
    notifications: {
      authCodeCreated: notifications.authCodeCreated?.state(),
      tokenCreated: notifications.tokenCreated?.state(),
    },
  };
}
