import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminRead } from '../http/admin-access.guard';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { TokenListQuery, TokenLookupDto } from './token.dto';
import { TokenLookupService } from './token-lookup.service';
import { TokenDetailResponse, TokenPageResponse } from './token.responses';

@AdminController('tokens')
export class TokensController {
  constructor(private readonly lookup: TokenLookupService) {}

  @Post('lookup')
  @HttpCode(200)
  @AdminRead()
  @ApiOperation({
    summary: 'Look a token up by its value (preferred: the token stays out of URLs and access logs)',
    description: 'Answers the token masked, its state, merchant, customer and wallet, and its timeline.',
  })
  @ApiOkResponse({ type: TokenDetailResponse })
  @ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No token with this value.' })
  async lookupByBody(@Body() dto: TokenLookupDto): Promise<TokenDetailResponse> {
    return TokenDetailResponse.from(await this.lookup.byAccessToken(dto.accessToken));
  }

  @Get('lookup')
  @ApiOperation({ summary: 'Look a token up by its value in the query string (prefer POST: URLs end up in logs)' })
  @ApiOkResponse({ type: TokenDetailResponse })
  @ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No token with this value.' })
  async lookupByQuery(@Query() query: TokenLookupDto): Promise<TokenDetailResponse> {
    return TokenDetailResponse.from(await this.lookup.byAccessToken(query.accessToken));
  }

  @Get()
  @ApiOperation({ summary: "A customer's tokens, newest first, masked (timelines via GET /admin/v1/tokens/{id})" })
  @ApiOkResponse({ type: TokenPageResponse })
  async listByCustomer(@Query() query: TokenListQuery): Promise<TokenPageResponse> {
    return TokenPageResponse.from(await this.lookup.byCustomer(query.customerId, query.merchantId, query.limit, query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A token by its id, with its timeline' })
  @ApiOkResponse({ type: TokenDetailResponse })
  @ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such token.' })
  async get(@Param('id') id: string): Promise<TokenDetailResponse> {
    return TokenDetailResponse.from(await this.lookup.byId(id));
  }
}
