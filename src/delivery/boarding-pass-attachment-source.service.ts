import { Injectable } from '@nestjs/common';
import type { Attachment } from '../channels/channel-adapter';
import { BOARDING_PASS_CONFIG, BoardingPassConfig, InjectConfig } from '../config/config-slices';
import type { NotificationRecord } from '../notifications/notification-records';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import { airportCityName, findAirport } from '../rendering/airports';
import type { RenderContext } from '../vocabulary/render-context';
import { decodeBcbp } from '../boarding-passes/bcbp-decoder';
import type { DecodedBcbp } from '../boarding-passes/bcbp-types';
import { PKPASS_CONTENT_TYPE } from '../boarding-passes/apple-wallet/pkpass';
import { BoardingPassService } from '../boarding-passes/boarding-pass.service';
import type { BoardingPassView } from '../boarding-passes/boarding-pass-view';
import type { AttachmentInfo, AttachmentSource } from './attachment-source';
import { AppleWalletPasses } from './apple-wallet/apple-wallet-passes.service';
import { passData } from './boarding-pass-data';

export { passData } from './boarding-pass-data';

export const BOARDING_PASS_PDF = 'boarding-pass.pdf';
export const BOARDING_PASS_QR = 'boarding-pass-qr.png';
export const BOARDING_PASS_PKPASS = 'boarding-pass.pkpass';
/** E-mail also carries the Apple Wallet pass when Apple Wallet is configured (docs/decisions/0031). */
const PKPASS: AttachmentInfo = { name: BOARDING_PASS_PKPASS, contentType: PKPASS_CONTENT_TYPE };

/**
 * SMS carries no files; WhatsApp carries the PDF as the template's document header; Messenger as a file
 * attachment after the text where Meta allows one (inside the 24-hour window; a utility template carries
 * none); WeChat template messages and push carry no files; e-mail carries both.
 */
const CARRIED: Record<DeliveryChannel, AttachmentInfo[]> = {
  whatsapp: [{ name: BOARDING_PASS_PDF, contentType: 'application/pdf' }],
  messenger: [{ name: BOARDING_PASS_PDF, contentType: 'application/pdf' }],
  wechat: [],
  email: [
    { name: BOARDING_PASS_PDF, contentType: 'application/pdf' },
    { name: BOARDING_PASS_QR, contentType: 'image/png' },
  ],
  sms: [],
  push: [],
  webhook: [],
};

/**
 * The boarding pass's QR and PDF, re-made from the notification's stored context at every send and every
 * download. Rendering is deterministic (the PDF's date is the check-in time), so the bytes never differ,
 * and a few milliseconds of CPU beat storing a blob per passenger and leg.
 */
@Injectable()
export class BoardingPassAttachmentSource implements AttachmentSource {
  private readonly airlineNames: Record<string, string>;

  constructor(
    private readonly passes: BoardingPassService,
    @InjectConfig(BOARDING_PASS_CONFIG) config: BoardingPassConfig,
    private readonly applePasses: AppleWalletPasses,
  ) {
    this.airlineNames = config.AIRLINE_NAMES;
  }

  describe(n: NotificationRecord): AttachmentInfo[] {
    if (n.type !== 'boarding-pass' || !n.context.checkin || !n.context.flight) return [];
    return n.channel === 'email' && this.applePasses.covers(n) ? [...CARRIED.email, PKPASS] : CARRIED[n.channel];
  }

  async attachmentsFor(n: NotificationRecord): Promise<Attachment[]> {
    const wanted = this.describe(n);
    if (wanted.length === 0) return [];
    const { qrPng, pdf } = await this.passes.buildArtifacts(passData(n.context), this.view(n.context), n.locale);
    const bytes: Record<string, Buffer | undefined> = { [BOARDING_PASS_PDF]: pdf, [BOARDING_PASS_QR]: qrPng };
    if (wanted.some((a) => a.name === BOARDING_PASS_PKPASS)) bytes[BOARDING_PASS_PKPASS] = await this.applePasses.pkpassFor(n);
    return wanted.flatMap((a) => (bytes[a.name] ? [{ ...a, content: bytes[a.name]! }] : []));
  }

  /** What the bar code says, decoded: for operators checking a pass. */
  async decoded(n: NotificationRecord): Promise<DecodedBcbp | undefined> {
    if (n.type !== 'boarding-pass' || !n.context.checkin || !n.context.flight) return undefined;
    const { bcbp } = await this.passes.buildArtifacts(passData(n.context), this.view(n.context), n.locale);
    return decodeBcbp(bcbp);
  }

  private view(c: RenderContext): BoardingPassView {
    const flight = c.flight!;
    const checkin = c.checkin!;
    return {
      issuedAt: checkin.issuedAt ?? checkin.checkedInAt,
      pages: [
        {
          airlineName: this.airlineNames[flight.carrier] ?? flight.carrier,
          passengerName: [c.passenger.title, c.passenger.givenName, c.passenger.surname].filter(Boolean).join(' '),
          flightCode: `${flight.carrier} ${flight.flightNumber}`,
          origin: { code: flight.origin, city: airportCityName(flight.origin, c.locale) },
          destination: { code: flight.destination, city: airportCityName(flight.destination, c.locale) },
          departureTime: flight.estimatedDeparture ?? flight.scheduledDeparture,
          arrivalTime: flight.estimatedArrival ?? flight.scheduledArrival,
          boardingTime: checkin.boardingTime,
          originTimeZone: findAirport(flight.origin)?.timeZone,
          destinationTimeZone: findAirport(flight.destination)?.timeZone,
          gate: checkin.gate ?? flight.departureGate,
          terminal: flight.departureTerminal,
          boardingGroup: checkin.boardingGroup,
          seat: checkin.seat,
          sequenceNumber: checkin.sequenceNumber,
          bookingReference: c.booking.reference,
          // The wallet links the message carries (added at send or read time), as clickable links on the PDF (0034).
          ...(c.wallet ? { wallet: c.wallet } : {}),
        },
      ],
    };
  }
}
