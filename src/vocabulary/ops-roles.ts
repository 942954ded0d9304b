/**
 * The roles an OPS_API_TOKENS entry can name: read, act, only publish events, or only register the airline app's
 * devices (`app`: the app backend, PUT/DELETE /api/app-devices and nothing else).
 */
export const OPS_ROLES = ['viewer', 'operator', 'producer', 'app'] as const;
export type OpsRole = (typeof OPS_ROLES)[number];
