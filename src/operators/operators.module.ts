import { Global, Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail';
import { AuthThrottle } from './auth-throttle';
import { ConsoleSessions } from './console-sessions';
import { OperatorDirectory } from './operator-directory';
import { AuditRepository, AuthThrottleRepository, ConsoleSessionRepository, OperatorRepository } from './operators.repository';

/**
 * Operators of the gateway: their tokens, console sessions, log-in throttles
 * and the audit trail of what they did. Global: every admin controller, in
 * whichever module, is guarded and audited with these.
 */
@Global()
@Module({
  providers: [
    OperatorRepository,
    ConsoleSessionRepository,
    AuthThrottleRepository,
    AuditRepository,
    OperatorDirectory,
    ConsoleSessions,
    AuthThrottle,
    AuditTrail,
  ],
  exports: [OperatorDirectory, ConsoleSessions, AuthThrottle, AuditTrail],
})
export class OperatorsModule {}
