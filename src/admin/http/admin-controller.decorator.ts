import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminBodyGuard } from './admin-body.guard';
import { AdminErrorResponse } from './admin-error.response';
import { AdminExceptionFilter } from './admin-exception.filter';
import { AdminTokenGuard } from './admin-token.guard';
import { adminValidationPipe } from './admin-validation.pipe';

/** Everything admin routes share: path prefix, bearer auth, body checks, validation, error mapping, docs. */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/v1/${path}`),
    ApiTags('admin'),
    ApiBearerAuth('admin'),
    UseGuards(AdminTokenGuard, AdminBodyGuard),
    UseFilters(AdminExceptionFilter),
    UsePipes(adminValidationPipe()),
    ApiUnauthorizedResponse({ type: AdminErrorResponse, description: 'Missing or wrong admin bearer token.' }),
    ApiBadRequestResponse({ type: AdminErrorResponse, description: 'PARAM_ILLEGAL: the message names the field.' }),
  );
}
