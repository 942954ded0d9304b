import { ReadOnly } from '../auth/ops-role';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuditListDto, AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@Controller('api/audit')
@ReadOnly()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail of operator actions, newest first' })
  @ApiOkResponse({ type: AuditListDto })
  async list(@Query() query: AuditQuery) {
    return { items: await this.audit.list(query.limit ?? 100, query.action) };
  }
}
