import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ReadOnly } from '../auth/ops-role';
import { AuditService } from './audit.service';

@Controller('api/audit')
@ReadOnly()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async list(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number, @Query('action') action?: string) {
    return { items: await this.audit.list(Math.min(Math.max(limit, 1), 1000), action) };
  }
}
