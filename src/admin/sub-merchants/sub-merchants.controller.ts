import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { SubMerchantService } from '../../merchants/sub-merchant.service';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { PageQuery } from '../http/page.dto';
import { CreateSubMerchantDto, UpdateSubMerchantDto } from './sub-merchant.dto';
import { SubMerchantPageResponse, SubMerchantResponse } from './sub-merchant.responses';

@AdminController('merchants/:merchantId/sub-merchants')
@ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such merchant, or no such sub-merchant under it.' })
export class SubMerchantsController {
  constructor(private readonly subMerchants: SubMerchantService) {}

  @Post()
  @ApiOperation({ summary: 'Create a sub-merchant' })
  @ApiCreatedResponse({ type: SubMerchantResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'merchantAccountId already exists under this merchant.' })
  async create(@Param('merchantId') merchantId: string, @Body() dto: CreateSubMerchantDto): Promise<SubMerchantResponse> {
    return SubMerchantResponse.from(await this.subMerchants.create(merchantId, dto));
  }

  @Get()
  @ApiOperation({ summary: "List a merchant's sub-merchants, newest first" })
  @ApiOkResponse({ type: SubMerchantPageResponse })
  async list(@Param('merchantId') merchantId: string, @Query() query: PageQuery): Promise<SubMerchantPageResponse> {
    return SubMerchantPageResponse.from(await this.subMerchants.list(merchantId, query.limit, query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a sub-merchant' })
  @ApiOkResponse({ type: SubMerchantResponse })
  async get(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<SubMerchantResponse> {
    return SubMerchantResponse.from(await this.subMerchants.get(merchantId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name or status' })
  @ApiOkResponse({ type: SubMerchantResponse })
  async update(@Param('merchantId') merchantId: string, @Param('id') id: string, @Body() dto: UpdateSubMerchantDto): Promise<SubMerchantResponse> {
    return SubMerchantResponse.from(await this.subMerchants.update(merchantId, id, dto));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a sub-merchant' })
  @ApiOkResponse({ type: SubMerchantResponse })
  async disable(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<SubMerchantResponse> {
    return SubMerchantResponse.from(await this.subMerchants.disable(merchantId, id));
  }
}
