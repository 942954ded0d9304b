import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { maskContact } from '../common/mask';
import { bookingReferencePipe } from '../common/parse-pattern.pipe';
import { ReadOnly } from '../ops/auth/ops-role';
import { BookingRepository } from './booking.repository';
import { BookingViewDto } from './booking.responses';

/** Read API for one booking: its passengers, how they can be reached, and which of their contacts cannot be. */
@Controller('api/bookings')
@ReadOnly()
export class BookingsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bookings: BookingRepository,
  ) {}

  @Get(':reference')
  @ApiOperation({ summary: 'One booking: passengers, masked contacts, consents, and contacts that cannot be used (never sent to)' })
  @ApiOkResponse({ type: BookingViewDto })
  async get(@Param('reference', bookingReferencePipe) reference: string): Promise<BookingViewDto> {
    const m = this.dataSource.manager;
    const booking = await this.bookings.findBooking(m, reference);
    if (!booking) throw new NotFoundException(`booking ${reference} not found`);
    const passengers = await this.bookings.findPassengers(m, reference);
    return {
      bookingReference: reference,
      status: booking.status,
      purged: booking.purged,
      passengers: passengers.map((p) => ({
        passengerId: p.passengerId,
        locale: p.locale,
        contacts: Object.fromEntries(Object.entries(p.contacts).map(([channel, value]) => [channel, maskContact(value)])),
        consents: p.consents,
        unusableContacts: p.unusableContacts ?? [],
      })),
    };
  }
}
