/**
 * The one registry of callback signing schemes: what an endpoint can choose,
 * whether it holds a secret, and how operators see it (admin API enum and
 * documentation, console options). How each scheme signs is CALLBACK_SIGNERS
 * (callbacks/callback-signature.ts), which the compiler keeps in step with
 * this list.
 *
 * Adding a scheme: an entry here and its signer there.
 */
export interface SigningSchemeSpec {
  /** The endpoint holds a secret of its own (generated at creation, shown once, rotatable). */
  readonly secret: boolean;
  /** How it signs, for the admin API's documentation. */
  readonly description: string;
  /** The console's option text. */
  readonly label: string;
}

export const SIGNING_SCHEMES = {
  ANTOM_RSA: { secret: false, description: 'signed with the gateway key', label: 'gateway RSA key' },
  STANDARD_WEBHOOKS: { secret: true, description: 'HMAC with a secret returned once in this answer', label: 'HMAC secret, shown once' },
} as const satisfies Record<string, SigningSchemeSpec>;

export type SigningScheme = keyof typeof SIGNING_SCHEMES;

export const SIGNING_SCHEME_NAMES = Object.keys(SIGNING_SCHEMES) as SigningScheme[];

/** What an endpoint created without a choice signs with. */
export const DEFAULT_SIGNING_SCHEME: SigningScheme = 'ANTOM_RSA';

export function usesSecret(scheme: SigningScheme): boolean {
  const spec: SigningSchemeSpec = SIGNING_SCHEMES[scheme];
  return spec.secret;
}
