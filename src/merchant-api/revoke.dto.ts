import { OptionalString, RequiredString } from '../common/validation';

/** Antom `revoke` request body, plus our `passThroughInfo` extension for Alipay+ cancelToken. */
export class RevokeDto {
  @RequiredString(128) accessToken: string;
  /** The sub-merchant the revoke is made for. */
  @OptionalString(64) merchantAccountId?: string | null;
  @OptionalString(4096) extendInfo?: string | null;
  /** Passed to Alipay+ cancelToken as is (key-value JSON text). */
  @OptionalString(20000) passThroughInfo?: string | null;
}

/** Our signed token-status query. */
export class TokenStatusDto {
  @RequiredString(128) accessToken: string;
}
