import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { LocalSendFailures } from '../delivery/local-send-failures.service';
import { AmqpConnection } from '../messaging/amqp-connection.service';
import { Public } from '../ops/auth/ops-role';
import { LivenessDto, ReadinessDto } from './health.responses';

/**
 * Liveness says the process runs; readiness says it can do its job: database and broker reachable, and no
 * channel whose last sends all failed on our side (disk full, outbox not writable) — `failingChannels` names
 * them with the cause until a send on that channel succeeds again.
 */
@Controller('health')
@Public('probes for the orchestrator and load balancer; up or down, no data')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly amqp: AmqpConnection,
    private readonly localFailures: LocalSendFailures,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process runs' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: 'Readiness (the same as /health/ready)' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'PostgreSQL or RabbitMQ unreachable.' })
  readiness() {
    return this.ready();
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and RabbitMQ reachable' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'PostgreSQL or RabbitMQ unreachable.' })
  async ready() {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const broker = this.amqp.isConnected() ? ('up' as const) : ('down' as const);
    const failingChannels = this.localFailures.failing();
    const ok = database === 'up' && broker === 'up' && failingChannels.length === 0;
    const body = { status: ok ? 'ok' : 'unavailable', database, broker, ...(failingChannels.length ? { failingChannels } : {}) };
    if (!ok) throw new ServiceUnavailableException(body);
    return body;
  }
}
