import type { FastifyPluginAsync } from 'fastify';
import { APPLY_TOKEN_PATH, PREPARE_PATH } from '../authorization.transformers';
import { AUTH_NOTIFY_PATH, CANCEL_TOKEN_PATH, CancelTokenWireRequest } from '../cancel-token.transformers';
import { applyTokenRoute } from './apply-token.handler';
import { type AuthorizationDefaults, authCodeCreatedBody, newAuthorization, tokenCanceledBody, tokenCreatedBody } from './authorization.factory';
import { cancelTokenRoute } from './cancel-token.handler';
import { RuleBook } from './cancel-token.rules';
import { ConsentBook, redirectWithCode } from './consent.book';
import { ANTOM_RETRY_SCHEDULE_MS, NotificationDispatcher } from './notification.dispatcher';
import { prepareRoute } from './prepare.handler';
import { type SignedCallContext, signedRoute } from './signed-call.handler';
import { simulatorPlugin } from './simulator.plugin';
import type {
  AlipayPlusSimulatorOptions,
  AuthorizationInput,
  AuthorizationRecord,
  AuthorizeConsentOptions,
  AuthorizedConsent,
  ConsentRef,
  IssuedAuthorization,
  NotificationAttempt,
  NotificationHandle,
  NotifyOptions,
  PendingConsent,
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

/** Alipay+ auth codes live minutes; the simulator gives them ten. */
const DEFAULT_AUTH_CODE_TTL_MS = 10 * 60_000;

/**
 * An Alipay+ stand-in for tests, the demo and sandbox mode: answers signed
 * cancelToken, prepare and applyToken calls per rules, plays the wallet where
 * the user authorizes a prepared binding, keeps a wallet-side token registry,
 * and sends authNotify with Alipay+'s retry behaviour. Mount plugin() on any
 * Fastify instance (under a prefix or not); drive it through this object or
 * the `/_simulator/` control routes.
 */
export class AlipayPlusSimulator implements SimulatorControls {
  private readonly now: () => number;
  private readonly rules = new RuleBook();
  private readonly prepareRules = new RuleBook();
  private readonly applyTokenRules = new RuleBook();
  private readonly tokens = new TokenRegistry();
  private readonly consents = new ConsentBook();
  private readonly dispatcher: NotificationDispatcher;
  private readonly defaults: AuthorizationDefaults;
  private readonly authCodeTtlMs: number;
  private readonly requests: ReceivedRequest[] = [];
  private readonly holds = new Set<{ timer: NodeJS.Timeout; resolve: (completed: boolean) => void }>();
  private gatewayBaseUrl: string | undefined;
  private strictTokens: boolean;

  constructor(private readonly options: AlipayPlusSimulatorOptions) {
    this.now = options.now ?? Date.now;
    this.gatewayBaseUrl = options.gatewayBaseUrl;
    this.strictTokens = options.strictTokens ?? false;
    this.defaults = { acquirerId: options.defaultAcquirerId ?? SAMPLE_ACQUIRER_ID, pspId: options.defaultPspId ?? SAMPLE_PSP_ID, now: this.now };
    this.authCodeTtlMs = options.authCodeTtlMs ?? DEFAULT_AUTH_CODE_TTL_MS;
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
    const ctx = this.signedCallContext();
    return simulatorPlugin(this, {
      [CANCEL_TOKEN_PATH]: signedRoute(
        ctx,
        cancelTokenRoute({
          strictTokens: () => this.strictTokens,
          rules: this.rules,
          tokens: this.tokens,
          onCanceled: (body) => this.echoAcquirerCancel(body),
        }),
      ),
      [PREPARE_PATH]: signedRoute(ctx, prepareRoute({ rules: this.prepareRules, consents: this.consents, pspId: this.defaults.pspId })),
      [APPLY_TOKEN_PATH]: signedRoute(
        ctx,
        applyTokenRoute({
          rules: this.applyTokenRules,
          consents: this.consents,
          tokens: this.tokens,
          now: this.now,
          authCodeTtlMs: this.authCodeTtlMs,
          onTokenCreated: (record) => this.announceTokenCreated(record),
        }),
      ),
    });
  }

  setGatewayBaseUrl(url: string): void {
    this.gatewayBaseUrl = url;
  }

  /** Sets how cancelToken answers for one token, or `*` for any token without its own rule; null removes it. */
  setRule(accessToken: string, rule: SimulatorRule | null): void {
    this.rules.set(accessToken, rule);
  }

  /** Sets how prepare answers for one authState, or `*`; null removes it. */
  setPrepareRule(authState: string, rule: SimulatorRule | null): void {
    this.prepareRules.set(authState, rule);
  }

  /** Sets how applyToken answers for one auth code or refresh token, or `*`; null removes it. */
  setApplyTokenRule(authCodeOrRefreshToken: string, rule: SimulatorRule | null): void {
    this.applyTokenRules.set(authCodeOrRefreshToken, rule);
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
    const record = newAuthorization(input, this.defaults);
    this.tokens.issue(record);
    if (input.notify === false) return { ...record, notifications: {} };
    const authCodeCreated = this.notify(authCodeCreatedBody(record), { pretty: input.pretty });
    await authCodeCreated.firstAttempt;
    const tokenCreated = this.notify(tokenCreatedBody(record), { pretty: input.pretty });
    await tokenCreated.firstAttempt;
    return { ...record, notifications: { authCodeCreated, tokenCreated } };
  }

  /** Bindings prepared and not yet authorized, oldest first. */
  pendingConsents(): readonly PendingConsent[] {
    return this.consents.pending();
  }

  pendingConsent(ref: ConsentRef): PendingConsent | undefined {
    return this.consents.find(ref);
  }

  /**
   * The user authorizes a prepared binding in the wallet: an auth code is
   * issued (its token pair is made now and handed out by applyToken) and,
   * unless `notify: false`, AUTHCODE_CREATED is sent. Resolves after its
   * first attempt. Rejects for a ticket or authState with no pending consent.
   */
  async authorizeConsent(ref: ConsentRef, options: AuthorizeConsentOptions = {}): Promise<AuthorizedConsent> {
    const consent = this.consents.take(ref);
    if (!consent) throw new RangeError('no pending consent for this ticket or authState');
    const { referenceMerchantId, authState, authClientId, scopes, acquirerId, pspId } = consent;
    const record = newAuthorization({ referenceMerchantId, authState, authClientId, scopes, acquirerId, pspId }, this.defaults);
    this.consents.addCode(record, this.now());
    const authorized = { authCode: record.authCode, authState, redirectUrl: redirectWithCode(consent.authRedirectUrl, record.authCode, authState) };
    if (options.notify === false) return authorized;
    const notification = this.notify(authCodeCreatedBody(record), { pretty: options.pretty });
    await notification.firstAttempt;
    return { ...authorized, notification };
  }

  /** Ages an auth code past authCodeTtlMs, so applyToken answers EXPIRED_CODE; false when the code is unknown. */
  expireAuthCode(authCode: string): boolean {
    const code = this.consents.code(authCode);
    if (code) code.issuedAt = this.now() - this.authCodeTtlMs;
    return code !== undefined;
  }

  /** Makes a refresh token expired now, so applyToken answers EXPIRED_REFRESH_TOKEN; false when it is unknown. */
  expireRefreshToken(refreshToken: string): boolean {
    return this.tokens.expireRefreshToken(refreshToken, this.now());
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

  /** Forgets rules, consents, codes, tokens, recorded requests and notifications; pending retries are stopped. */
  reset(): void {
    this.rules.reset();
    this.prepareRules.reset();
    this.applyTokenRules.reset();
    this.consents.reset();
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

  private signedCallContext(): SignedCallContext {
    return {
      clientId: this.options.clientId,
      privateKey: this.options.simulatorPrivateKey,
      acqpPublicKeys: this.options.acqpPublicKeys,
      skewMs: this.options.skewMs ?? 5 * 60_000,
      now: this.now,
      acquirerId: this.options.acquirerId,
      record: (received) => this.requests.push(received),
      hold: (ms) => this.hold(ms),
    };
  }

  /** Alipay+ announces the tokens it creates: TOKEN_CREATED, once per exchanged code. */
  private announceTokenCreated(record: AuthorizationRecord): void {
    if (this.options.notifyTokenCreated === false) return;
    this.notify(tokenCreatedBody(record));
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
