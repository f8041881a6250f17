import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as PinoLogger } from 'pino';

export interface RequestScope {
  readonly requestId: string;
  readonly log: PinoLogger;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The request (or background job) a line of code runs for, so every log line carries its id. */
export const RequestContext = {
  run<T>(scope: RequestScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  /** For Fastify hooks, where the rest of the request continues in the caller's async context. */
  enter(scope: RequestScope): void {
    storage.enterWith(scope);
  },
  /** Runs `fn` outside any request, for background work started from one. */
  detached<T>(fn: () => T): T {
    return storage.exit(fn);
  },
  current(): RequestScope | undefined {
    return storage.getStore();
  },
};
