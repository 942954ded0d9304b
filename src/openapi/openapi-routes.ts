import { ParseEnumPipe, ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import type { INestApplication, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ParsePatternPipe } from '../common/parse-pattern.pipe';
import { ROUTE_ACCESS, type RouteAccess } from '../ops/auth/ops-role';

/** What the server does with one handler, read from the same metadata the guard and pipes act on. */
export interface RouteFacts {
  /** @Public(): the guard lets it through without a token (paths outside /api are open regardless). */
  open: boolean;
  /** @OperatorOnly() (a viewer gets 403), @ProducerOnly() or @AppOnly() (everyone but that role gets 403). */
  operatorOnly: boolean;
  /** It reads a JSON body (which the body parser may refuse: malformed 400, too large 413). */
  body: boolean;
  /** It reads a body, query or path parameters: the global pipes may answer 400. */
  validatedInputs: boolean;
  /** Path parameter schemas derived from their pipes (uuid, enum, pattern, integer). */
  pathParams: Record<string, SchemaObject>;
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: (PipeTransform | Type<PipeTransform>)[];
}

/** The operation id @nestjs/swagger gives a handler; set explicitly so facts and operations meet. */
export const operationIdOf = (controllerKey: string, methodKey: string): string => `${controllerKey}_${methodKey}`;

/** Every controller handler of the application, by operation id. */
export function collectRouteFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller?.prototype) continue;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        facts.set(operationIdOf(controller.name, key), factsOf(controller, key, handler));
      }
    }
  }
  return facts;
}

function factsOf(controller: Type, key: string, handler: unknown): RouteFacts {
  const meta = <T>(name: string): T | undefined =>
    (Reflect.getMetadata(name, handler as object) as T | undefined) ?? (Reflect.getMetadata(name, controller) as T | undefined);
  const access = meta<RouteAccess>(ROUTE_ACCESS);
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, RouteArg>;
  const pathParams: Record<string, SchemaObject> = {};
  const kinds = new Set<number>();
  for (const [argKey, arg] of Object.entries(args)) {
    const kind = Number(argKey.split(':')[0]);
    kinds.add(kind);
    if (kind === RouteParamtypes.PARAM && typeof arg.data === 'string') pathParams[arg.data] = pipeSchema(arg.pipes ?? []);
  }
  return {
    open: access?.level === 'public',
    // Deny by default: a route that declares nothing needs the operator token, like one marked @OperatorOnly.
    operatorOnly: access === undefined || access.level === 'operator' || access.level === 'producer' || access.level === 'app',
    body: kinds.has(RouteParamtypes.BODY),
    validatedInputs: [RouteParamtypes.BODY, RouteParamtypes.QUERY, RouteParamtypes.PARAM].some((k) => kinds.has(k)),
    pathParams,
  };
}

/** The schema a path parameter's pipes enforce; a plain string when no pipe narrows it. */
function pipeSchema(pipes: (PipeTransform | Type<PipeTransform>)[]): SchemaObject {
  for (const pipe of pipes) {
    if (pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe) return { type: 'string', format: 'uuid' };
    if (pipe === ParseIntPipe || pipe instanceof ParseIntPipe) return { type: 'integer' };
    if (pipe instanceof ParsePatternPipe) return { type: 'string', pattern: pipe.pattern.source };
    // ParseEnumPipe keeps its enum protected; the values are what it accepts.
    if (pipe instanceof ParseEnumPipe) return { type: 'string', enum: Object.values((pipe as unknown as { enumType: object }).enumType) };
  }
  return { type: 'string' };
}
