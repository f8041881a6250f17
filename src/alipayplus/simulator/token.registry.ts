import type { AuthorizationRecord, SimulatedTokenState, TokenCancelSource } from './simulator.types';

/** The wallet side's view of its access tokens: which it issued, which are canceled and by whom. */
export class TokenRegistry {
  private readonly issued = new Map<string, AuthorizationRecord>();
  private readonly canceled = new Map<string, TokenCancelSource>();

  issue(record: AuthorizationRecord): void {
    this.issued.set(record.accessToken, record);
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
    return this.issued.has(accessToken) ? 'ACTIVE' : 'UNKNOWN';
  }

  /** Marks the token canceled; false when it already was (the first cancel wins). */
  cancel(accessToken: string, source: TokenCancelSource): boolean {
    if (this.canceled.has(accessToken)) return false;
    this.canceled.set(accessToken, source);
    return true;
  }

  reset(): void {
    this.issued.clear();
    this.canceled.clear();
  }
}
