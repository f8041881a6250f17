import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { parseProtocolBody } from '../http/protocol-body';
import type { ProtocolResult } from '../http/signed-reply';
import { ConsultUnbindingDto } from './auth-notify.dto';
import { ApsInbound } from './aps-inbound';
import { APS_SUCCESS, apsResultFor } from './aps-result';
import { ConsultUnbindingService } from './consult-unbinding.service';

@Injectable()
export class ConsultUnbindingHandler {
  private readonly logger = new Logger(ConsultUnbindingHandler.name);

  constructor(
    private readonly inbound: ApsInbound,
    private readonly service: ConsultUnbindingService,
  ) {}

  async handle(req: FastifyRequest): Promise<{ result: ProtocolResult; allowUnbinding?: 'true' | 'false' }> {
    try {
      this.inbound.verify(req, 'consultUnbinding');
      const body = parseProtocolBody(req, ConsultUnbindingDto);
      const allow = await this.service.allowUnbinding(body);
      return { result: APS_SUCCESS, allowUnbinding: allow ? 'true' : 'false' };
    } catch (err) {
      if (!(err instanceof DomainError)) this.logger.error({ msg: 'consultUnbinding failed', err });
      return { result: apsResultFor(err) };
    }
  }
}
