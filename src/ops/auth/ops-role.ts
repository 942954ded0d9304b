import { SetMetadata } from '@nestjs/common';

export type OpsRole = 'viewer' | 'operator';

/** Who called: the role of the token, and a short fingerprint of it for the audit trail (never the token). */
export interface OpsPrincipal {
  role: OpsRole;
  actor: string;
}

export const REQUIRED_ROLE = 'ops:required-role';

/** Marks a handler as needing the operator role; everything else under /api needs at least viewer. */
export const OperatorOnly = () => SetMetadata(REQUIRED_ROLE, 'operator' satisfies OpsRole);

/** Marks a controller or handler as open (provider webhooks carry their own signatures; health). */
export const PUBLIC_ROUTE = 'ops:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
