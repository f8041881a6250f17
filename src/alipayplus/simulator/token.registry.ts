import type { AuthorizationRecord, SimulatedTokenState, TokenCancelSource } from './simulator.types';

/** A refresh token the wallet issued: until when it is good, and the pair it was rotated to, if it was. */
export interface RefreshTokenEntry {
  readonly record: AuthorizationRecord;
  /** Epoch ms. */
  expiresAt: number;
  rotated?: { to: AuthorizationRecord; at: number };
}

/** The wallet side's view of its tokens: which it issued, which are canceled (and by whom) or replaced by a refresh. */
export class TokenRegistry {
  private readonly issued = new Map<string, AuthorizationRecord>();
  private readonly canceled = new Map<string, TokenCancelSource>();
  private readonly replaced = new Set<string>();
  private readonly refreshTokens = new Map<string, RefreshTokenEntry>();

  issue(record: AuthorizationRecord): void {
    this.issued.set(record.accessToken, record);
    this.refreshTokens.set(record.refreshToken, { record, expiresAt: Date.parse(record.refreshTokenExpiryTime) });
  }

  get(accessToken: string): AuthorizationRecord | undefined {
    return this.issued.get(accessToken);
  }

  isIssued(accessToken: string): boolean {
    return this.issued.has(accessToken);
  }

  state(accessToken: string): SimulatedTokenState {
    const source = this.canceled.get(accessToken);
    if (source === 'ACQUIRER') return 'CANCELED_BY_ACQUIRER';
    if (source === 'PSP') return 'CANCELED_BY_PSP';
    if (this.replaced.has(accessToken)) return 'REPLACED';
    return this.issued.has(accessToken) ? 'ACTIVE' : 'UNKNOWN';
  }

  /** Marks the token canceled; false when it already was (the first cancel wins). */
  cancel(accessToken: string, source: TokenCancelSource): boolean {
    if (this.canceled.has(accessToken)) return false;
    this.canceled.set(accessToken, source);
    return true;
  }

  refreshToken(refreshToken: string): RefreshTokenEntry | undefined {
    return this.refreshTokens.get(refreshToken);
  }

  /** A refresh: `to` is issued, `from`'s access token is replaced, and `from`'s refresh token remembers `to`. */
  rotate(from: AuthorizationRecord, to: AuthorizationRecord, at: number): void {
    this.issue(to);
    this.replaced.add(from.accessToken);
    const entry = this.refreshTokens.get(from.refreshToken);
    if (entry) entry.rotated = { to, at };
  }

  /** Makes a refresh token expired as of `at`; false when it is unknown. */
  expireRefreshToken(refreshToken: string, at: number): boolean {
    const entry = this.refreshTokens.get(refreshToken);
    if (entry) entry.expiresAt = at;
    return entry !== undefined;
  }

  reset(): void {
    this.issued.clear();
    this.canceled.clear();
    this.replaced.clear();
    this.refreshTokens.clear();
  }
}
