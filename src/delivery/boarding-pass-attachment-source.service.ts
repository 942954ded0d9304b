import { Injectable } from '@nestjs/common';
import type { Attachment } from '../channels/channel-adapter';
import { BOARDING_PASS_CONFIG, BoardingPassConfig, InjectConfig } from '../config/config-slices';
import type { NotificationRecord } from '../notifications/notification-records';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import { airportCityName, findAirport } from '../rendering/airports';
import type { RenderContext } from '../vocabulary/render-context';
import { decodeBcbp } from '../boarding-passes/bcbp-decoder';
import type { BoardingPassData, DecodedBcbp } from '../boarding-passes/bcbp-types';
import { BoardingPassService } from '../boarding-passes/boarding-pass.service';
import type { BoardingPassView } from '../boarding-passes/boarding-pass-view';
import type { AttachmentInfo, AttachmentSource } from './attachment-source';

export const BOARDING_PASS_PDF = 'boarding-pass.pdf';
export const BOARDING_PASS_QR = 'boarding-pass-qr.png';

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
  ) {
    this.airlineNames = config.AIRLINE_NAMES;
  }

  describe(n: NotificationRecord): AttachmentInfo[] {
    return n.type === 'boarding-pass' && n.context.checkin && n.context.flight ? CARRIED[n.channel] : [];
  }

  async attachmentsFor(n: NotificationRecord): Promise<Attachment[]> {
    const wanted = this.describe(n);
    if (wanted.length === 0) return [];
    const { qrPng, pdf } = await this.passes.buildArtifacts(passData(n.context), this.view(n.context), n.locale);
    const bytes: Record<string, Buffer> = { [BOARDING_PASS_PDF]: pdf, [BOARDING_PASS_QR]: qrPng };
    return wanted.map((a) => ({ ...a, content: bytes[a.name] }));
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
      issuedAt: checkin.checkedInAt,
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
        },
      ],
    };
  }
}

/** The bar code's data, from the facts captured when the passenger checked in. */
export function passData(c: RenderContext): BoardingPassData {
  const flight = c.flight!;
  const checkin = c.checkin!;
  const issued = (checkin.checkedInAt ?? flight.scheduledDeparture).slice(0, 10);
  return {
    passenger: { surname: c.passenger.surname, givenName: c.passenger.givenName, title: c.passenger.title },
    eTicket: Boolean(c.passenger.ticketNumber),
    legs: [
      {
        pnr: c.booking.reference,
        from: flight.origin,
        to: flight.destination,
        carrier: flight.carrier,
        flightNumber: flight.flightNumber,
        flightDate: flight.departureDate,
        compartment: checkin.compartment,
        seat: checkin.seat,
        sequenceNumber: checkin.sequenceNumber,
        ticketNumber: c.passenger.ticketNumber,
      },
    ],
    issuance: { date: issued, checkInSource: 'W', issuer: flight.carrier },
  };
}
