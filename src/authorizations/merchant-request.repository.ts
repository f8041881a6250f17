import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MerchantRequestEntity } from './merchant-request.entity';

/** Data access for the merchant API calls kept for the support timeline. */
@Injectable()
export class MerchantRequestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: MerchantRequestEntity): Promise<void> {
    await this.dataSource.manager.insert(MerchantRequestEntity, row);
  }
}
