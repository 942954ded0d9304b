import { BadRequestException, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { Audited, routeParam } from '../ops/audit/audited';
import { OperatorOnly, OpsPrincipal } from '../ops/auth/ops-role';
import { Principal } from '../ops/auth/principal.decorator';
import { RetentionService } from './retention.service';

const REFERENCE = /^[A-Z0-9]{6}$/;

/** GDPR erasure on request: an operator removes one booking's personal data now. Audited. */
@Controller('api/bookings')
export class BookingErasureController {
  constructor(private readonly retention: RetentionService) {}

  @Post(':reference/erase')
  @OperatorOnly()
  @Audited('booking.erase', routeParam('reference'))
  @HttpCode(200)
  async erase(@Param('reference') reference: string, @Principal() who: OpsPrincipal) {
    if (!REFERENCE.test(reference)) throw new BadRequestException('reference must be a booking reference: 6 letters A-Z or digits');
    const result = await this.retention.eraseBooking(reference, who);
    if (!result) throw new NotFoundException(`booking ${reference} not found`);
    return result;
  }
}
