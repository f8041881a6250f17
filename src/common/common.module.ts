import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { TokenVault } from './crypto/token-vault';

@Global()
@Module({})
export class CommonModule {
  /** `clock`: tests pass a ManualClock to move time instead of sleeping. */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, TokenVault],
      exports: [Clock, TokenVault],
    };
  }
}
