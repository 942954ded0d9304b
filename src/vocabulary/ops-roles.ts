/** The roles an OPS_API_TOKENS entry can name: read, act, or only publish events. */
export const OPS_ROLES = ['viewer', 'operator', 'producer'] as const;
export type OpsRole = (typeof OPS_ROLES)[number];
