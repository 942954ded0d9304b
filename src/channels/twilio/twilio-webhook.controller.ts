import { Controller, Header, HttpCode, Logger, Post, Req, UseGuards } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { maskPhone } from '../../common/mask';
import { Public } from '../../ops/auth/ops-role';
import { optOutKeyword } from '../../opt-out/opt-out-keywords';
import { OptOutService } from '../../opt-out/opt-out.service';
import { StatusReportInbox } from '../status-report-inbox.service';
import { WebhookInbox } from '../webhook-inbox.service';
import { canonicalForm, contentKey } from '../webhook-keys';
import { param, parseTwilioForm } from './twilio-signature';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TWILIO_STATUS_NOTIFICATION } from './twilio-sms.adapter';
import { readTwilioStatus } from './twilio-status';

/** An empty TwiML answer: nothing to reply (Twilio sends its own opt-out confirmation). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's calls to us, both signature-checked: message status callbacks (the StatusCallback URL the adapter
 * sets on every message) and incoming SMS (the number's "A message comes in" webhook), where STOP withdraws consent.
 * Each report is applied once (WebhookInbox; status callbacks grouped with other requests' by StatusReportInbox), its
 * receipt committed with its effect: a callback that failed is applied when Twilio retries it, and a redelivery of
 * one that was applied answers 200 and changes nothing.
 */
@Controller('webhooks/twilio')
@Public('Twilio calls it: TwilioSignatureGuard checks X-Twilio-Signature')
@UseGuards(TwilioSignatureGuard)
export class TwilioWebhookController {
  private readonly logger = new Logger(TwilioWebhookController.name);

  constructor(
    private readonly reports: StatusReportInbox,
    private readonly optOut: OptOutService,
    private readonly inbox: WebhookInbox,
  ) {}

  /** Any order, repeated, unknown sid: always 200 once the signature is good, so Twilio does not retry in vain. */
  @Post('status')
  @HttpCode(200)
  async status(@Req() request: RawBodyRequest<Request>): Promise<void> {
    const params = parseTwilioForm(request.rawBody);
    // The notification the adapter named in the StatusCallback URL (signed with it); anything else is not ours.
    const named = request.query[TWILIO_STATUS_NOTIFICATION];
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
      typeof named === 'string' && isUUID(named) ? named : undefined,
    );
    if (reading.kind === 'ignored') {
      this.logger.debug(`Twilio status callback ignored: ${reading.reason}`);
      return;
    }
    const { update } = reading;
    // One report per message and status: Twilio's MessageSid + MessageStatus, however the form was encoded.
    const key = `status ${update.providerMessageId} ${String(update.detail?.twilioStatus)}`;
    const once = await this.reports.apply('twilio', key, update);
    this.logger.debug(`Twilio ${update.providerMessageId} ${update.status}: ${once.applied ? once.result.outcome : 'applied before'}`);
  }

  @Post('inbound')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async inbound(@Req() request: RawBodyRequest<Request>): Promise<string> {
    const params = parseTwilioForm(request.rawBody);
    const from = param(params, 'From');
    const body = param(params, 'Body');
    // Our keyword list, or Twilio's word that the message opted out (a keyword set in Advanced Opt-Out).
    const keyword = optOutKeyword(body) ?? (param(params, 'OptOutType')?.toUpperCase() === 'STOP' ? 'STOP' : undefined);
    if (!from) return EMPTY_TWIML;
    if (!keyword) {
      this.logger.debug(`incoming SMS from ${maskPhone(from)} is not an opt-out; ignored`);
      return EMPTY_TWIML;
    }
    // One incoming message is one MessageSid; without one, the decoded parameters in canonical order.
    const sid = param(params, 'MessageSid');
    const key = sid ? `inbound ${sid}` : `inbound form ${contentKey(canonicalForm(params))}`;
    const once = await this.inbox.applyOnce('twilio', key, (m) => this.optOut.withdraw('sms', from, keyword, m));
    if (!once.applied) this.logger.log(`${keyword} from ${maskPhone(from)} (${sid ?? 'no MessageSid'}) was applied before; not applied again`);
    return EMPTY_TWIML;
  }
}
