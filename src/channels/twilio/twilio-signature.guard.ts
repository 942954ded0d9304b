import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { TWILIO_CONFIG, TwilioConfig, InjectConfig } from '../../config/config-slices';
import { isValidTwilioSignature, parseTwilioForm } from './twilio-signature';

/**
 * Lets a request through only when its X-Twilio-Signature matches. The URL Twilio signed is the public one it
 * called (PUBLIC_BASE_URL + path + query), not whatever host/port this replica sees behind the proxy.
 * Mismatch or missing header → 403, Twilio's convention. Parameters come from the raw body, as Twilio signed them.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger(TwilioSignatureGuard.name);

  constructor(@InjectConfig(TWILIO_CONFIG) private readonly config: TwilioConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const token = this.config.TWILIO_AUTH_TOKEN;
    if (!token) {
      this.logger.warn(`Twilio webhook ${request.path} refused: TWILIO_AUTH_TOKEN is not configured`);
      throw new ForbiddenException('Twilio webhooks are not configured');
    }
    const url = `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${request.originalUrl}`;
    const header = request.header('x-twilio-signature');
    if (!isValidTwilioSignature(token, url, parseTwilioForm(request.rawBody), header)) {
      this.logger.warn(`Twilio webhook ${request.path} refused: ${header ? 'signature does not match' : 'no X-Twilio-Signature'}`);
      throw new ForbiddenException('invalid Twilio signature');
    }
    // Signed is not the same as new: the controller applies each report once (WebhookInbox).
    return true;
  }
}
