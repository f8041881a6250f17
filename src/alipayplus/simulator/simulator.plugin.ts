import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { CANCEL_TOKEN_PATH } from '../cancel-token.transformers';
import { CancelTokenContext, handleCancelToken } from './cancel-token.handler';
import type { AuthorizationInput, IssuedAuthorization, SimulatorControls, SimulatorRule } from './simulator.types';

/** Control routes for scripts and manual testing; unsigned, and only where the simulator is mounted. */
export const CONTROL_PREFIX = '/_simulator';

/**
 * The simulator's routes, in an encapsulated context with its own raw-body
 * parsers: signatures are over the bytes as received, so nothing may parse
 * (or refuse) the body before the route sees it, whatever the host app
 * installed at its root.
 */
export function simulatorPlugin(simulator: SimulatorControls, ctx: CancelTokenContext): FastifyPluginAsync {
  return async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    const keepBytes = (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: Buffer) => void) => done(null, body);
    instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, keepBytes);
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, keepBytes);

    instance.post(CANCEL_TOKEN_PATH, async (request, reply) => {
      await handleCancelToken(ctx, request, reply);
      return reply;
    });

    instance.post(`${CONTROL_PREFIX}/rules`, async (request, reply) => {
      const input = jsonObject(request);
      const key = input?.accessToken;
      if (typeof key !== 'string' || key === '' || input?.rule === undefined) {
        return badRequest(reply, 'expected {"accessToken": "<token>" | "*", "rule": {...} | [...] | null}');
      }
      try {
        simulator.setRule(key, input.rule as SimulatorRule | null);
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
