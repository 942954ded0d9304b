import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { twilioSignature } from '../../src/channels/twilio/twilio-signature';

/**
 * Posts a form to one of our Twilio webhooks the way Twilio does: form-encoded, signed over the public URL
 * (PUBLIC_BASE_URL + path) with the auth token. `sign: false` leaves the header out; a string replaces it.
 */
export function postTwilioWebhook(
  app: INestApplication,
  options: { path: string; params: Record<string, string>; authToken: string; publicBaseUrl: string; sign?: boolean | string; signedUrl?: string },
) {
  const body = new URLSearchParams(options.params).toString();
  const url = options.signedUrl ?? `${options.publicBaseUrl}${options.path}`;
  const req = request(app.getHttpServer() as App)
    .post(options.path)
    .set('Content-Type', 'application/x-www-form-urlencoded');
  if (options.sign !== false) req.set('X-Twilio-Signature', typeof options.sign === 'string' ? options.sign : twilioSignature(options.authToken, url, options.params));
  return req.send(body);
}
