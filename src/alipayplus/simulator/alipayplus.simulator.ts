import type { FastifyPluginAsync } from 'fastify';
import { AUTH_NOTIFY_PATH, CancelTokenWireRequest } from '../cancel-token.transformers';
import { authCodeCreatedBody, newAuthorization, tokenCanceledBody, tokenCreatedBody } from './authorization.factory';
import type { CancelTokenContext } from './cancel-token.handler';
import { RuleBook } from './cancel-token.rules';
import { ANTOM_RETRY_SCHEDULE_MS, NotificationDispatcher } from './notification.dispatcher';
import { simulatorPlugin } from './simulator.plugin';
import type {
  AlipayPlusSimulatorOptions,
  AuthorizationInput,
  IssuedAuthorization,
  NotificationAttempt,
  NotificationHandle,
  NotifyOptions,
  PendingNotification,
  ReceivedRequest,
  SimulatedTokenState,
  SimulatorControls,
  SimulatorRule,
} from './simulator.types';
import { TokenRegistry } from './token.registry';

/** Sample ids from the Alipay+ cancelToken reference. */
const SAMPLE_ACQUIRER_ID = '102218800000001234';
const SAMPLE_PSP_ID = '102208800000001230';

/**
 * An Alipay+ stand-in for tests, the demo and sandbox mode: answers signed
 * cancelToken calls per rules, keeps a wallet-side token registry, and sends
 * authNotify with Alipay+'s retry behaviour. Mount plugin() on any Fastify
 * instance (under a prefix or not); drive it through this object or the
 * `/_simulator/` control routes.
 */
export class AlipayPlusSimulator implements SimulatorControls {
  private readonly now: () => number;
  private readonly rules = new RuleBook();
  private readonly tokens = new TokenRegistry();
  private readonly dispatcher: NotificationDispatcher;
  private readonly requests: ReceivedRequest[] = [];
  private readonly holds = new Set<{ timer: NodeJS.Timeout; resolve: (completed: boolean) => void }>();
  private gatewayBaseUrl: string | undefined;
  private strictTokens: boolean;

  constructor(private readonly options: AlipayPlusSimulatorOptions) {
    this.now = options.now ?? Date.now;
    this.gatewayBaseUrl = options.gatewayBaseUrl;
    this.strictTokens = options.strictTokens ?? false;
    const notifyPath = options.notifyPath ?? AUTH_NOTIFY_PATH;
    this.dispatcher = new NotificationDispatcher({
      privateKey: options.simulatorPrivateKey,
      acqpPublicKeys: options.acqpPublicKeys,
      clientId: options.clientId,
      target: () => (this.gatewayBaseUrl === undefined ? null : this.gatewayBaseUrl.replace(/\/+$/, '') + notifyPath),
      retrySchedule: options.retrySchedule ?? ANTOM_RETRY_SCHEDULE_MS,
      timeoutMs: options.notifyTimeoutMs ?? 5_000,
      now: this.now,
    });
  }

  /** The routes, as a Fastify plugin: `app.register(simulator.plugin(), { prefix })`. */
  plugin(): FastifyPluginAsync {
    return simulatorPlugin(this, this.context());
  }

  setGatewayBaseUrl(url: string): void {
    this.gatewayBaseUrl = url;
  }

  /** Sets how cancelToken answers for one token, or `*` for any token without its own rule; null removes it. */
  setRule(accessToken: string, rule: SimulatorRule | null): void {
    this.rules.set(accessToken, rule);
  }

  setStrictTokens(strict: boolean): void {
    this.strictTokens = strict;
  }

  received(): readonly ReceivedRequest[] {
    return [...this.requests];
  }

  receivedFor(accessToken: string): readonly ReceivedRequest[] {
    return this.requests.filter((r) => (r.body as { accessToken?: unknown } | undefined)?.accessToken === accessToken);
  }

  tokenState(accessToken: string): SimulatedTokenState {
    return this.tokens.state(accessToken);
  }

  /**
   * A user binds a wallet: registers the token and, unless `notify: false`,
   * sends AUTHCODE_CREATED and then TOKEN_CREATED, each after the other's
   * first attempt (retries, if any, go on in the background).
   */
  async issueAuthorization(input: AuthorizationInput): Promise<IssuedAuthorization> {
    const record = newAuthorization(input, {
      acquirerId: this.options.defaultAcquirerId ?? SAMPLE_ACQUIRER_ID,
      pspId: this.options.defaultPspId ?? SAMPLE_PSP_ID,
      now: this.now,
    });
    this.tokens.issue(record);
    if (input.notify === false) return { ...record, notifications: {} };
    const authCodeCreated = this.notify(authCodeCreatedBody(record), { pretty: input.pretty });
    await authCodeCreated.firstAttempt;
    const tokenCreated = this.notify(tokenCreatedBody(record), { pretty: input.pretty });
    await tokenCreated.firstAttempt;
    return { ...record, notifications: { authCodeCreated, tokenCreated } };
  }

  /**
   * The user unbinds in the wallet: the token is canceled and TOKEN_CANCELED
   * (tokenCancelSource PSP) is sent. Resolves after its first attempt.
   */
  async cancelFromWallet(accessToken: string, options: NotifyOptions = {}): Promise<NotificationHandle> {
    this.tokens.cancel(accessToken, 'PSP');
    const handle = this.notify(tokenCanceledBody(this.tokens.get(accessToken) ?? { accessToken }, 'PSP'), options);
    await handle.firstAttempt;
    return handle;
  }

  /** Sends any authNotify body (object or exact text), signed, with Alipay+'s retries. */
  notify(body: object | string, options: NotifyOptions = {}): NotificationHandle {
    return this.dispatcher.send(body, options);
  }

  notifications(): readonly NotificationHandle[] {
    return this.dispatcher.notifications();
  }

  notificationAttempts(): readonly NotificationAttempt[] {
    return this.dispatcher.attempts();
  }

  pendingNotifications(): readonly PendingNotification[] {
    return this.dispatcher.pending();
  }

  /** Attempts every pending notification now, due or not, and waits for that round. Tests use this instead of sleeping. */
  flushRetries(): Promise<void> {
    return this.dispatcher.flushRetries();
  }

  /** Forgets rules, tokens, recorded requests and notifications; pending retries are stopped. */
  reset(): void {
    this.rules.reset();
    this.tokens.reset();
    this.requests.length = 0;
    this.dispatcher.reset();
    this.strictTokens = this.options.strictTokens ?? false;
  }

  /** Cancels retry timers and held answers (their sockets are dropped). Call before closing the server. */
  stop(): void {
    this.dispatcher.stop();
    for (const hold of this.holds) {
      clearTimeout(hold.timer);
      hold.resolve(false);
    }
    this.holds.clear();
  }

  private context(): CancelTokenContext {
    return {
      clientId: this.options.clientId,
      privateKey: this.options.simulatorPrivateKey,
      acqpPublicKeys: this.options.acqpPublicKeys,
      skewMs: this.options.skewMs ?? 5 * 60_000,
      now: this.now,
      acquirerId: this.options.acquirerId,
      strictTokens: () => this.strictTokens,
      rules: this.rules,
      tokens: this.tokens,
      record: (received) => this.requests.push(received),
      onCanceled: (body) => this.echoAcquirerCancel(body),
      hold: (ms) => this.hold(ms),
    };
  }

  /** Alipay+ tells the ACQP about its own cancelToken too: TOKEN_CANCELED with tokenCancelSource ACQUIRER. */
  private echoAcquirerCancel(body: CancelTokenWireRequest): void {
    if (this.options.echoAcquirerCancel === false) return;
    const issued = this.tokens.get(body.accessToken);
    this.notify(tokenCanceledBody(issued ?? body, 'ACQUIRER'));
  }

  private hold(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const hold = {
        timer: setTimeout(() => {
          this.holds.delete(hold);
          resolve(true);
        }, ms),
        resolve,
      };
      this.holds.add(hold);
    });
  }
}
