import { Inject, Injectable } from '@nestjs/common';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { callbackBody, type CallbackFacts } from './callback-payload';
import { usesSecret } from '../protocol/signing-schemes';
import { CALLBACK_SIGNERS } from './callback-signature';
import type { CallbackSource } from './callback-source.repository';

export interface CallbackRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The exact bytes signed and sent. */
  readonly body: Buffer;
  /** The plaintext token or auth code the body carries: masked wherever the receiver's answer echoes them. */
  readonly secrets: readonly string[];
}

/**
 * Turns a delivery's source rows into the signed request: decrypts the token
 * or code, builds the body once, and signs those very bytes with the
 * endpoint's scheme (CALLBACK_SIGNERS: the gateway key, or the endpoint's
 * own secrets). Signed afresh on every attempt, so the
 * request time is current and a rotated secret takes effect at once.
 */
@Injectable()
export class CallbackComposer {
  private readonly plaintexts = new WeakMap<object, string>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'gateway'>,
    private readonly vault: TokenVault,
  ) {}

  async compose(source: CallbackSource, now: Date): Promise<CallbackRequest> {
    const facts = this.facts(source);
    const body = Buffer.from(JSON.stringify(callbackBody(facts)), 'utf8');
    const secrets = [facts.token?.accessToken, facts.authCode?.authCode].filter((s): s is string => s !== undefined);
    const endpoint = source.endpoint;
    const keys = usesSecret(endpoint.signingScheme) ? this.endpointSecrets(endpoint) : [];
    const headers = await CALLBACK_SIGNERS[endpoint.signingScheme]({
      url: endpoint.url,
      body,
      eventId: source.event.id,
      now,
      secrets: keys,
      antomSigner: () => this.antomSigner(source),
    });
    return { url: endpoint.url, headers, body, secrets };
  }

  private endpointSecrets(endpoint: CallbackSource['endpoint']): string[] {
    const secrets = [endpoint.secretEnc, endpoint.previousSecretEnc].filter((s): s is string => s !== null).map((s) => this.vault.decrypt(s));
    if (secrets.length === 0) throw new Error(`endpoint ${endpoint.id} signs with ${endpoint.signingScheme} but has no secret`);
    return secrets;
  }

  /**
   * The gateway's key, under the merchant's own client id: Antom's
   * notifications carry the receiving merchant's client id, and the SDKs'
   * WebhookTool.checkSignature is called with "your clientId". A
   * sub-merchant's endpoint gets its merchant's.
   */
  private antomSigner(source: CallbackSource): { clientId: string; privateKey: GatewayConfig['gateway']['privateKey'] } {
    if (!source.merchant) throw new Error(`delivery for endpoint ${source.endpoint.id} has no merchant to sign under`);
    return { clientId: source.merchant.clientId, privateKey: this.config.gateway.privateKey };
  }

  private facts(s: CallbackSource): CallbackFacts {
    const a = s.authorization;
    const c = s.authCode;
    return {
      eventId: s.event.id,
      eventType: s.event.eventType,
      occurredAt: s.event.occurredAt,
      cancelSource: s.event.cancelSource,
      referenceMerchantId: a?.referenceMerchantId ?? c?.referenceMerchantId ?? s.merchant?.referenceMerchantId ?? null,
      merchantAccountId: s.subMerchant?.merchantAccountId ?? null,
      token: a
        ? {
            accessToken: this.decryptOnce(a, a.accessTokenEnc),
            authClientId: a.authClientId,
            accessTokenExpiryTime: a.accessTokenExpiryTime,
            customerId: a.customerId,
            referenceAgreementId: a.referenceAgreementId,
            userLoginId: a.userLoginId,
            scopes: a.scopes,
          }
        : undefined,
      authCode: c
        ? {
            authCode: this.decryptOnce(c, c.authCodeEnc),
            authClientId: c.authClientId,
            authState: c.authState,
            customerId: c.customerId,
            referenceAgreementId: c.referenceAgreementId,
          }
        : undefined,
    };
  }

  /** A claim's deliveries share their token's row object: decrypted once for all of them, forgotten with the row. */
  private decryptOnce(row: object, encrypted: string): string {
    let plain = this.plaintexts.get(row);
    if (plain === undefined) this.plaintexts.set(row, (plain = this.vault.decrypt(encrypted)));
    return plain;
  }
}
