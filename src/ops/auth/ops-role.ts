import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { OpsRole } from '../../vocabulary/ops-roles';

export type { OpsRole } from '../../vocabulary/ops-roles';

/** Who called: the role of the token, and a short fingerprint of it for the audit trail (never the token). */
export interface OpsPrincipal {
  role: OpsRole;
  actor: string;
}

/**
 * How a route is reached, decided only from this metadata (never from the request's path):
 * - public: no token (each says why: a provider signature, a probe, static files);
 * - viewer: a viewer or operator token; viewers may only read, so a non-GET/HEAD request needs operator anyway;
 * - operator: an operator token;
 * - producer: a producer token and no other (a booking system POSTing events; it can do nothing else, and
 *   no operator or viewer token can publish: docs/decisions/0013);
 * - app: an app token and no other (the airline app's backend registering devices: docs/decisions/0028).
 * A route that carries none of them is treated as operator-only (deny by default), and the route
 * enumeration test (test/http-edge.int-spec.ts) fails until it is classified.
 */
export type RouteAccess = { level: 'public'; reason: string } | { level: OpsRole };

export const ROUTE_ACCESS = 'ops:route-access';

/** Open without a token; `reason` says what protects it instead (kept in the metadata, listed in the test's report). */
export const Public = (reason: string) => SetMetadata(ROUTE_ACCESS, { level: 'public', reason } satisfies RouteAccess);

/** Readable with a viewer (or operator) token; writes on such a route still need operator. */
export const ReadOnly = () => SetMetadata(ROUTE_ACCESS, { level: 'viewer' } satisfies RouteAccess);

/** Needs a producer token, and only a producer's: POST /api/events. */
export const ProducerOnly = () => SetMetadata(ROUTE_ACCESS, { level: 'producer' } satisfies RouteAccess);

/** Needs an app token, and only an app's: registering and removing the airline app's devices. */
export const AppOnly = () => SetMetadata(ROUTE_ACCESS, { level: 'app' } satisfies RouteAccess);

/** Needs the operator token: replays, re-drives, consent changes, erasure. */
export const OperatorOnly = () => SetMetadata(ROUTE_ACCESS, { level: 'operator' } satisfies RouteAccess);

/**
 * The access a handler declares (its own decorator wins over its controller's), or undefined when it
 * declares none. Guard and tests read it through this one function.
 */
export function declaredAccess(reflector: Reflector, handler: Function, controller: Function): RouteAccess | undefined {
  return reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [handler, controller]);
}
