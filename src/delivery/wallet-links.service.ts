import { Injectable, Logger } from '@nestjs/common';
import { maskPersonalData } from '../common/mask';
import { BoardingPassService } from '../boarding-passes/boarding-pass.service';
import { GoogleWalletService } from '../channels/google-wallet/google-wallet.service';
import type { NotificationRecord } from '../notifications/notification-records';
import type { RenderContext } from '../vocabulary/render-context';
import { passData } from './boarding-pass-attachment-source.service';

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
    if (n.type !== 'boarding-pass' || !c.checkin || !c.flight || !this.google.enabled) return undefined;
    const googleSaveUrl = await this.google.saveUrl({
      flight: { ...c.flight, departureGate: c.flight.departureGate ?? c.checkin.gate },
      bookingReference: c.booking.reference,
      passengerId: n.passengerId,
      passengerName: `${c.passenger.surname}/${c.passenger.givenName}${c.passenger.title ? ` ${c.passenger.title}` : ''}`,
      ticketNumber: c.passenger.ticketNumber,
      seat: c.checkin.seat,
      sequenceNumber: c.checkin.sequenceNumber,
      boardingGroup: c.checkin.boardingGroup,
      boardingTime: c.checkin.boardingTime,
      bcbp: this.passes.bcbp(passData(c)),
    });
    return googleSaveUrl ? { googleSaveUrl } : undefined;
  }
}
