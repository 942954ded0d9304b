import { Controller, Header, HttpCode, Logger, Post, Req, UseGuards } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { ConsentService } from '../../bookings/consent.service';
import { maskPhone } from '../../common/mask';
import { ProviderStatusService } from '../../delivery/provider-status.service';
import { Public } from '../../ops/auth/ops-role';
import { isStopRequest } from './stop-keywords';
import { param, parseTwilioForm } from './twilio-signature';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { readTwilioStatus } from './twilio-status';

/** An empty TwiML answer: nothing to reply (Twilio sends its own opt-out confirmation). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's calls to us, both signature-checked: message status callbacks (the StatusCallback URL the adapter
 * sets on every message) and incoming SMS (the number's "A message comes in" webhook), where STOP withdraws consent.
 */
@Controller('webhooks/twilio')
@Public('Twilio calls it: TwilioSignatureGuard checks X-Twilio-Signature')
@UseGuards(TwilioSignatureGuard)
export class TwilioWebhookController {
  private readonly logger = new Logger(TwilioWebhookController.name);

  constructor(
    private readonly statuses: ProviderStatusService,
    private readonly consents: ConsentService,
  ) {}

  /** Any order, repeated, unknown sid: always 200 once the signature is good, so Twilio does not retry in vain. */
  @Post('status')
  @HttpCode(200)
  async status(@Req() request: RawBodyRequest<Request>): Promise<void> {
    const params = parseTwilioForm(request.rawBody);
    const reading = readTwilioStatus(
      {
        MessageSid: param(params, 'MessageSid'),
        SmsSid: param(params, 'SmsSid'),
        MessageStatus: param(params, 'MessageStatus'),
        SmsStatus: param(params, 'SmsStatus'),
        ErrorCode: param(params, 'ErrorCode'),
        ErrorMessage: param(params, 'ErrorMessage'),
      },
      new Date(),
    );
    if (reading.kind === 'ignored') {
      this.logger.debug(`Twilio status callback ignored: ${reading.reason}`);
      return;
    }
    const result = await this.statuses.apply(reading.update);
    this.logger.debug(`Twilio ${reading.update.providerMessageId} ${reading.update.status}: ${result.outcome}`);
  }

  @Post('inbound')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async inbound(@Req() request: RawBodyRequest<Request>): Promise<string> {
    const params = parseTwilioForm(request.rawBody);
    const from = param(params, 'From');
    const optOut = param(params, 'OptOutType')?.toUpperCase() === 'STOP' || isStopRequest(param(params, 'Body'));
    if (!from) return EMPTY_TWIML;
    if (optOut) {
      await this.consents.withdrawByContact('sms', from, 'passenger replied STOP by SMS');
    } else {
      this.logger.debug(`incoming SMS from ${maskPhone(from)} is not an opt-out; ignored`);
    }
    return EMPTY_TWIML;
  }
}
