import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { TokenVault } from './crypto/token-vault';

@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, TokenVault],
  exports: [Clock, TokenVault],
})
export class CommonModule {}
