import { randomBytes } from 'node:crypto';
import type { AuthorizationRecord, ConsentRef, PendingConsent } from './simulator.types';

/** An auth code the wallet issued, until applyToken exchanges it (and after: the exchange is idempotent). */
export interface IssuedCode {
  readonly record: AuthorizationRecord;
  /** Epoch ms; the code expires authCodeTtlMs later. */
  issuedAt: number;
  exchanged: boolean;
}

/** The wallet side of a binding before its token: consents prepared by the ACQP, and the auth codes users gave. */
export class ConsentBook {
  /** By ticket, in the order prepared. */
  private readonly consents = new Map<string, PendingConsent>();
  private readonly codes = new Map<string, IssuedCode>();

  open(consent: Omit<PendingConsent, 'ticket'>): PendingConsent {
    const opened = { ticket: randomBytes(16).toString('hex'), ...consent };
    this.consents.set(opened.ticket, opened);
    return opened;
  }

  /** The consent for a ticket, or the latest one prepared with that authState. */
  find(ref: ConsentRef): PendingConsent | undefined {
    if (typeof ref === 'string') return this.consents.get(ref);
    return this.pending()
      .filter((c) => c.authState === ref.authState)
      .at(-1);
  }

  /** Finds and removes the consent: a ticket is authorized once. */
  take(ref: ConsentRef): PendingConsent | undefined {
    const consent = this.find(ref);
    if (consent) this.consents.delete(consent.ticket);
    return consent;
  }

  pending(): PendingConsent[] {
    return [...this.consents.values()];
  }

  addCode(record: AuthorizationRecord, issuedAt: number): void {
    this.codes.set(record.authCode, { record, issuedAt, exchanged: false });
  }

  code(authCode: string): IssuedCode | undefined {
    return this.codes.get(authCode);
  }

  reset(): void {
    this.consents.clear();
    this.codes.clear();
  }
}

/** Where the wallet sends the user back: authRedirectUrl with authCode and authState added to its query. */
export function redirectWithCode(authRedirectUrl: string, authCode: string, authState: string): string {
  const hashAt = authRedirectUrl.indexOf('#');
  const base = hashAt < 0 ? authRedirectUrl : authRedirectUrl.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : authRedirectUrl.slice(hashAt);
  const query = new URLSearchParams({ authCode, authState }).toString();
  return `${base}${base.includes('?') ? '&' : '?'}${query}${hash}`;
}
