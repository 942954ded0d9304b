import { BadRequestException } from '@nestjs/common';

/**
 * The two bodies Wallet sends, checked by hand rather than as class-validator DTOs: those would join the ops API's
 * OpenAPI document, which describes /api only (src/openapi/openapi.ts).
 */

/** POST …/registrations/…: `{"pushToken": "<APNs device token>"}`. */
export function registrationPushToken(body: unknown): string {
  const token = (body as { pushToken?: unknown } | null)?.pushToken;
  if (typeof token !== 'string' || !/^[0-9a-fA-F]{64,200}$/.test(token)) {
    throw new BadRequestException('pushToken must be the APNs device token: 64 to 200 hexadecimal digits');
  }
  return token;
}

/** POST /v1/log: `{"logs": ["…"]}`, messages Wallet reports about the web service. */
export function logLines(body: unknown): string[] {
  const logs = (body as { logs?: unknown } | null)?.logs;
  if (!Array.isArray(logs) || logs.length > 100 || !logs.every((l): l is string => typeof l === 'string')) {
    throw new BadRequestException('logs must be an array of at most 100 strings');
  }
  return logs;
}
