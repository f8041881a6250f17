import { Module } from '@nestjs/common';
import { AlipayPlusModule } from '../alipayplus/alipayplus.module';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { AuthCodeExchange } from './auth-code-exchange';
import { AuthCodeRepository } from './auth-code.repository';
import { AutoExchangeWorker } from './auto-exchange.worker';
import { BindingMetrics } from './binding.metrics';
import { BindingService } from './binding.service';
import { ConsultationRepository } from './consultation.repository';

/** Binding through the gateway: consult, applyToken (auth code or refresh token) and the automatic exchange. */
@Module({
  imports: [AlipayPlusModule, AuthorizationsModule],
  providers: [AuthCodeExchange, AuthCodeRepository, AutoExchangeWorker, BindingMetrics, BindingService, ConsultationRepository],
  exports: [AutoExchangeWorker, BindingService],
})
export class BindingsModule {}
