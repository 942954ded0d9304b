// @ts-check
// What every part of the page may need to know: the token's role and the API's enums.

/** @type {{ role: 'viewer' | 'operator' | null, enums: import('./api.js').Enums }} */
export const session = { role: null, enums: { statuses: [], types: [], channels: [], reasonCodes: [] } };

export const isOperator = () => session.role === 'operator';
