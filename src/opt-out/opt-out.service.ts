import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConsentService } from '../bookings/consent.service';
import type { Channel } from '../vocabulary/notification-types';
import { optOutKeyword } from './opt-out-keywords';

/** How a reason names the channel a reply came on: "passenger replied STOP on WhatsApp". */
const REPLIED: Record<Channel, string> = { whatsapp: 'on WhatsApp', sms: 'by SMS', email: 'by e-mail', messenger: 'on Messenger', wechat: 'on WeChat', push: 'in the app' };

export interface OptOut {
  /** The keyword, normalised ("STOP" for "stop!"). */
  keyword: string;
  passengers: number;
  cancelled: number;
}

/**
 * A passenger's reply that opts out, on any channel: the one keyword list and normalisation
 * (opt-out-keywords.ts), and the withdrawal of that channel's consent through ConsentService.
 */
@Injectable()
export class OptOutService {
  constructor(private readonly consents: ConsentService) {}

  /**
   * Withdraws `channel` consent for `contact` when one of `texts` (a reply's body; a button's text and
   * payload) is an opt-out keyword; the first keyword found counts. Undefined, and nothing touched, otherwise.
   * With `m` it runs in the caller's transaction: a webhook commits its receipt together with the opt-out.
   */
  async fromInboundText(channel: Channel, contact: string, texts: string | readonly (string | undefined)[] | undefined, m?: EntityManager): Promise<OptOut | undefined> {
    const candidates = typeof texts === 'string' || texts === undefined ? [texts] : texts;
    const keyword = candidates.map(optOutKeyword).find((k) => k !== undefined);
    return keyword ? this.withdraw(channel, contact, keyword, m) : undefined;
  }

  /** Withdraws consent for a reply the provider already classified as an opt-out (Twilio's OptOutType=STOP). */
  async withdraw(channel: Channel, contact: string, keyword: string, m?: EntityManager): Promise<OptOut> {
    const result = await this.consents.withdrawByContact(channel, contact, `passenger replied ${keyword} ${REPLIED[channel]}`, m);
    return { keyword, ...result };
  }
}
