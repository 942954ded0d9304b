import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/ops-role';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint; public like /health (it carries counts, no personal data). */
@Controller('metrics')
@Public('Prometheus scrapes it without credentials; counts only, no personal data')
@ApiExcludeController()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.scrape();
    // Written as is: Express would otherwise put its own charset parameter in front of the version.
    res.status(200).setHeader('Content-Type', this.metrics.contentType);
    res.end(body);
  }
}
