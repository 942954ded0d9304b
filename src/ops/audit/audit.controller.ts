import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ReadOnly } from '../auth/ops-role';
import { AuditListDto, AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@Controller('api/audit')
@ReadOnly()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail of operator actions (those that failed too), newest first' })
  @ApiOkResponse({ type: AuditListDto })
  async list(@Query() query: AuditQuery) {
    return { items: await this.audit.list(query.limit ?? 100, { action: query.action, outcome: query.outcome }) };
  }
}
