import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiPayloadTooLargeResponse, ApiProduces, ApiProperty } from '@nestjs/swagger';
import { RESULT_STATUSES } from './signed-reply';

/** The `result` every Alipay+ and Antom answer carries. */
export class ProtocolResultResponse {
  @ApiProperty({ example: 'SUCCESS', description: 'SUCCESS, or the code that says why not (see README).' }) resultCode: string;
  @ApiProperty({ enum: RESULT_STATUSES, description: 'S succeeded; F failed for good; U not known yet: call again.' }) resultStatus: string;
  @ApiProperty({ example: 'success' }) resultMessage: string;
}

/** An answer that is only its `result`. */
export class ResultOnlyResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
}

/**
 * Documents a signed protocol route (Alipay+ ACQP or Antom-compatible): the
 * signature headers it takes, its JSON body, and its always-HTTP-200 signed
 * answer with lower-case `client-id`, `response-time`, `signature` headers.
 * The handlers read the raw body themselves: signatures are over its bytes.
 */
export function SignedProtocolRoute(body: Type<unknown>, answer: Type<unknown>, signer: string): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Client-Id', required: true, description: 'The caller’s client id; the signature is made under it.' }),
    ApiHeader({ name: 'Request-Time', required: true, description: 'ISO 8601 with a zone, or epoch milliseconds; within SIGNATURE_SKEW_SECONDS of now.' }),
    ApiHeader({
      name: 'Signature',
      required: true,
      description: 'algorithm=RSA256,keyVersion=1,signature=<URL-encoded base64 SHA256withRSA over `POST <path>\\n<Client-Id>.<Request-Time>.<raw body>`>',
    }),
    ApiConsumes('application/json'),
    ApiProduces('application/json'),
    ApiBody({ type: body }),
    ApiOkResponse({
      type: answer,
      description: `Always HTTP 200, signed by ${signer}; the result says S, F or U.`,
      headers: {
        'client-id': { description: 'The client id the answer is signed under.', schema: { type: 'string' } },
        'response-time': { description: 'ISO 8601, to the whole second.', schema: { type: 'string' } },
        signature: { description: 'algorithm=RSA256,keyVersion=1,signature=<URL-encoded base64>', schema: { type: 'string' } },
      },
    }),
    ApiPayloadTooLargeResponse({ description: 'Body over HTTP_BODY_LIMIT_BYTES (the one answer that is not signed).' }),
  );
}
