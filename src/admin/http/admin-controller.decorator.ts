import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminAccessGuard } from './admin-access.guard';
import { AdminAuditInterceptor } from './admin-audit.interceptor';
import { AdminBodyGuard } from './admin-body.guard';
import { AdminErrorResponse } from './admin-error.response';
import { AdminExceptionFilter } from './admin-exception.filter';
import { adminValidationPipe } from './admin-validation.pipe';

/**
 * Everything admin routes share: path prefix, the operator's access (after
 * AdminGate authenticated it), body checks, validation, the audit trail,
 * error mapping, docs.
 */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/v1/${path}`),
    ApiTags('admin'),
    ApiBearerAuth('admin'),
    UseGuards(AdminAccessGuard, AdminBodyGuard),
    UseInterceptors(AdminAuditInterceptor),
    UseFilters(AdminExceptionFilter),
    UsePipes(adminValidationPipe()),
    ApiUnauthorizedResponse({ type: AdminErrorResponse, description: 'Missing or wrong admin bearer token (or console session).' }),
    ApiForbiddenResponse({ type: AdminErrorResponse, description: 'ACCESS_DENIED: a read-only operator tried to change something.' }),
    ApiTooManyRequestsResponse({ type: AdminErrorResponse, description: 'Too many failed authentications from this address; see Retry-After.' }),
    ApiBadRequestResponse({ type: AdminErrorResponse, description: 'PARAM_ILLEGAL: the message names the field.' }),
  );
}
