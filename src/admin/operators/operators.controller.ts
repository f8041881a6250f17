import { Body, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { pageRequest } from '../../common/keyset-page';
import { AuditTrail } from '../../operators/audit-trail';
import { OperatorDirectory } from '../../operators/operator-directory';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { PageQuery } from '../http/page.dto';
import { AuditQuery, CreateOperatorDto } from './operator.dto';
import { AuditPageResponse, CreatedOperatorResponse, OperatorPageResponse, OperatorResponse, WhoAmIResponse } from './operator.responses';

@AdminController('operators')
export class OperatorsController {
  constructor(private readonly operators: OperatorDirectory) {}

  @Post()
  @ApiOperation({ summary: 'Create a named operator token (admin only); the token is in this answer and never again' })
  @ApiCreatedResponse({ type: CreatedOperatorResponse })
  async create(@Body() dto: CreateOperatorDto, @Req() req: FastifyRequest): Promise<CreatedOperatorResponse> {
    const { operator, token } = await this.operators.create(dto.name, dto.role, req.operator!);
    return { operator: OperatorResponse.from(operator), token };
  }

  @Get()
  @ApiOperation({ summary: 'Operators, newest first (tokens are never shown)' })
  @ApiOkResponse({ type: OperatorPageResponse })
  async list(@Query() query: PageQuery): Promise<OperatorPageResponse> {
    return OperatorPageResponse.from(await this.operators.page(pageRequest(query.limit, query.cursor)));
  }

  @Get('me')
  @ApiOperation({ summary: 'Who the presented token or console session is' })
  @ApiOkResponse({ type: WhoAmIResponse })
  me(@Req() req: FastifyRequest): WhoAmIResponse {
    const { id, name, role } = req.operator!;
    return { id, name, role };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an operator token at once (admin only); its console sessions end too' })
  @ApiOkResponse({ type: OperatorResponse })
  @ApiNotFoundResponse({ type: AdminErrorResponse })
  async revoke(@Param('id') id: string, @Req() req: FastifyRequest): Promise<OperatorResponse> {
    return OperatorResponse.from(await this.operators.revoke(id, req.operator!));
  }
}

@AdminController('audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first: every operator write, who, what, which object, when and from where' })
  @ApiOkResponse({ type: AuditPageResponse })
  async list(@Query() query: AuditQuery): Promise<AuditPageResponse> {
    const filter = {
      ...(query.actor !== undefined ? { actor: query.actor } : {}),
      ...(query.since !== undefined ? { since: new Date(query.since) } : {}),
      ...(query.until !== undefined ? { until: new Date(query.until) } : {}),
    };
    return AuditPageResponse.from(await this.audit.page(filter, pageRequest(query.limit, query.cursor)));
  }
}
