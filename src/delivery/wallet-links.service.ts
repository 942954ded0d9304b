import { Injectable, Logger } from '@nestjs/common';
import { maskPersonalData } from '../common/mask';
import { BoardingPassService } from '../boarding-passes/boarding-pass.service';
import { GoogleWalletService } from '../channels/google-wallet/google-wallet.service';
import type { NotificationRecord } from '../notifications/notification-records';
import type { RenderContext } from '../vocabulary/render-context';
import { passData } from './boarding-pass-attachment-source.service';
import { AppleWalletPasses } from './apple-wallet/apple-wallet-passes.service';

/**
 * A boarding pass's wallet links, made when the message is sent or read (a save link carries the flight as it is
 * then, and making one records the pass as issued so later changes PATCH it: docs/decisions/0032).
 */
@Injectable()
export class WalletLinks {
  private readonly logger = new Logger(WalletLinks.name);

  constructor(
    private readonly google: GoogleWalletService,
    private readonly passes: BoardingPassService,
    private readonly applePasses: AppleWalletPasses,
  ) {}

  /** The notification with its wallet links in its context; unchanged when it is no boarding pass or no wallet is set up. */
  async withLinks(n: NotificationRecord): Promise<NotificationRecord> {
    try {
      const wallet = await this.linksFor(n);
      return wallet ? { ...n, context: { ...n.context, wallet } } : n;
    } catch (error) {
      // The boarding pass matters more than the button: it goes without the link rather than not at all.
      this.logger.warn(`no wallet link for notification ${n.id}: ${maskPersonalData((error as Error).message)}`);
      return n;
    }
  }

  async linksFor(n: NotificationRecord): Promise<RenderContext['wallet']> {
    const c = n.context;
    if (n.type !== 'boarding-pass' || !c.checkin || !c.flight) return undefined;
    // Apple: e-mail only, where the pass is attached too (docs/decisions/0034); the read API lists it as an attachment.
    const applePassUrl = n.channel === 'email' && this.applePasses.covers(n) ? await this.applePasses.downloadUrlFor(n) : undefined;
    const googleSaveUrl = this.google.enabled ? await this.googleSaveUrl(n) : undefined;
    if (!applePassUrl && !googleSaveUrl) return undefined;
    return { ...(applePassUrl ? { applePassUrl } : {}), ...(googleSaveUrl ? { googleSaveUrl } : {}) };
  }

  private googleSaveUrl(n: NotificationRecord): Promise<string | undefined> {
    const c = n.context;
    const checkin = c.checkin!;
    const flight = c.flight!;
    return this.google.saveUrl({
      flight: { ...flight, departureGate: flight.departureGate ?? checkin.gate },
      bookingReference: c.booking.reference,
      passengerId: n.passengerId,
      passengerName: `${c.passenger.surname}/${c.passenger.givenName}${c.passenger.title ? ` ${c.passenger.title}` : ''}`,
      ticketNumber: c.passenger.ticketNumber,
      seat: checkin.seat,
      sequenceNumber: checkin.sequenceNumber,
      boardingGroup: checkin.boardingGroup,
      boardingTime: checkin.boardingTime,
      bcbp: this.passes.bcbp(passData(c)),
    });
  }
}
