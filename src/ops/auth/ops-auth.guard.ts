import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { OPS_CONFIG, OpsConfig, InjectConfig } from '../../config/config-slices';
import { PipelineMetrics } from '../../metrics/pipeline-metrics';
import { FailedLoginLimiter } from './failed-login-limiter';
import { declaredAccess, OpsPrincipal, OpsRole } from './ops-role';
import { TokenStore } from './token-store';

export type AuthenticatedRequest = Request & { principal?: OpsPrincipal };

/** Methods that only read; a viewer may use nothing else. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The one gate in front of every Nest route (APP_GUARD), deciding only from the route's declared access
 * (@Public, @ReadOnly, @OperatorOnly, @ProducerOnly, @AppOnly; see ops-role.ts), never from the request's path. A route that declares
 * nothing needs an operator token. No or unknown token: 401, counted per client address; too many of those:
 * 429 with Retry-After. A viewer where it takes an operator: 403.
 */
@Injectable()
export class OpsAuthGuard implements CanActivate {
  private readonly tokens: TokenStore;
  private readonly failures: FailedLoginLimiter;

  constructor(
    private readonly reflector: Reflector,
    @InjectConfig(OPS_CONFIG) config: OpsConfig,
    private readonly metrics: PipelineMetrics,
  ) {
    this.tokens = new TokenStore(config.OPS_API_TOKENS);
    this.failures = new FailedLoginLimiter(config.OPS_AUTH_MAX_FAILURES, config.OPS_AUTH_FAILURE_WINDOW_SECONDS);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = declaredAccess(this.reflector, context.getHandler(), context.getClass());
    if (access?.level === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const client = request.ip ?? request.socket.remoteAddress ?? 'unknown';

    const wait = await this.failures.retryAfter(client);
    if (wait > 0) {
      this.metrics.authFailure('rate_limited');
      http.getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new HttpException('too many failed logins from this address; try again later', HttpStatus.TOO_MANY_REQUESTS);
    }

    const header = request.headers.authorization;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const principal = match ? this.tokens.authenticate(match[1]) : undefined;
    if (!principal) {
      this.metrics.authFailure(header ? 'invalid' : 'missing');
      await this.failures.fail(client);
      throw new UnauthorizedException('a valid bearer token is required');
    }

    const needed = required(access?.level, request.method);
    if (!allowed(principal.role, needed)) throw new ForbiddenException(`this action needs the ${needed} role`);
    request.principal = principal;
    return true;
  }
}

/** Undeclared routes need operator (deny by default); so does anything but reading on a read-only route. */
function required(level: OpsRole | undefined, method: string): OpsRole {
  if (level === 'producer' || level === 'app') return level;
  return level === 'viewer' && READ_METHODS.has(method) ? 'viewer' : 'operator';
}

/**
 * An operator may do what a viewer may; a producer may only publish, and only a producer may; an app token
 * may only register devices, and only an app token may.
 */
function allowed(role: OpsRole, needed: OpsRole): boolean {
  if (needed === 'viewer') return role === 'viewer' || role === 'operator';
  return role === needed;
}
