import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { MerchantService } from '../../merchants/merchant.service';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { PageQuery } from '../http/page.dto';
import { CreateMerchantDto, RotateKeyDto, UpdateMerchantDto } from './merchant.dto';
import { MerchantPageResponse, MerchantResponse } from './merchant.responses';

@AdminController('merchants')
@ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such merchant.' })
export class MerchantsController {
  constructor(private readonly merchants: MerchantService) {}

  @Post()
  @ApiOperation({ summary: 'Create a merchant' })
  @ApiCreatedResponse({ type: MerchantResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'referenceMerchantId or clientId already taken.' })
  async create(@Body() dto: CreateMerchantDto): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.create(dto));
  }

  @Get()
  @ApiOperation({ summary: 'List merchants, newest first' })
  @ApiOkResponse({ type: MerchantPageResponse })
  async list(@Query() query: PageQuery): Promise<MerchantPageResponse> {
    return MerchantPageResponse.from(await this.merchants.list(query.limit, query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a merchant' })
  @ApiOkResponse({ type: MerchantResponse })
  async get(@Param('id') id: string): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, status, consult policy or URL, rate limit' })
  @ApiOkResponse({ type: MerchantResponse })
  async update(@Param('id') id: string, @Body() dto: UpdateMerchantDto): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.update(id, dto));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a merchant (PATCH status ACTIVE re-enables it)' })
  @ApiOkResponse({ type: MerchantResponse })
  async disable(@Param('id') id: string): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.disable(id));
  }

  @Post(':id/keys')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a key rotation: the new key becomes current, the current one stays accepted as previous' })
  @ApiOkResponse({ type: MerchantResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'A rotation is already in progress, or the key is already current.' })
  async rotateKey(@Param('id') id: string, @Body() dto: RotateKeyDto): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.rotateKey(id, dto.publicKey));
  }

  @Delete(':id/keys/previous')
  @ApiOperation({ summary: 'End a key rotation: the previous key is no longer accepted' })
  @ApiOkResponse({ type: MerchantResponse })
  async endKeyRotation(@Param('id') id: string): Promise<MerchantResponse> {
    return MerchantResponse.from(await this.merchants.endKeyRotation(id));
  }
}
