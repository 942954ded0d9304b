import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AmqpConnection } from '../messaging/amqp-connection';
import { Public } from '../ops/auth/ops-role';

/** Liveness says the process runs; readiness says it can do its job (database and broker reachable). */
@Controller('health')
@Public('probes for the orchestrator and load balancer; up or down, no data')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly amqp: AmqpConnection,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get()
  readiness() {
    return this.ready();
  }

  @Get('ready')
  async ready() {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const broker = this.amqp.isConnected() ? ('up' as const) : ('down' as const);
    const body = { status: database === 'up' && broker === 'up' ? 'ok' : 'unavailable', database, broker };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}
