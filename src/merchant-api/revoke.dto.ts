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

/** The body of Antom `query` and of our richer `status`: the token asked about. */
export class AccessTokenDto {
  @RequiredString(128) accessToken: string;
}
