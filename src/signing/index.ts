export { buildStringToSign } from './string-to-sign';
export { CLIENT_ID_RULE, isWellFormedClientId } from './client-id';
export type { SignedMessage } from './string-to-sign';
export { formatSignatureHeader, parseSignatureHeader } from './signature-header';
export type { ParsedSignatureHeader } from './signature-header';
export { isWithinSkew, parseMessageTime } from './message-time';
export { formatResponseTime, SignatureMemo } from './signature-memo';
export { InvalidKeyError, keyFingerprint, loadPrivateKey, loadPublicKey, publicKeyFromPrivate } from './signing-keys';
export {
  readSignatureHeaders,
  signedRequestHeaders,
  signedResponseHeaders,
  signMessage,
  signMessageAsync,
  verifyInboundRequest,
  verifyMessage,
} from './message-signer';
export type {
  InboundRequest,
  InboundVerifyResult,
  SignatureHeaders,
  SignatureHeadersFailure,
  TimeHeader,
  VerifyFailure,
  VerifyInboundOptions,
} from './message-signer';
