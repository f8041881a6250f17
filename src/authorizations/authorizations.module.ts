import { Module } from '@nestjs/common';
import { AuthorizationRepository } from './authorization.repository';
import { RevokeSettlement } from './revoke-settlement';

@Module({
  providers: [AuthorizationRepository, RevokeSettlement],
  exports: [AuthorizationRepository, RevokeSettlement],
})
export class AuthorizationsModule {}
