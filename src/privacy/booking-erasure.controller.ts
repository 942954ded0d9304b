import { Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { bookingReferencePipe } from '../common/parse-pattern.pipe';
import { Audited, routeParam } from '../ops/audit/audited.decorator';
import { OperatorOnly, OpsPrincipal } from '../ops/auth/ops-role';
import { Principal } from '../ops/auth/principal.decorator';
import { ErasureResultDto } from './booking-erasure.responses';
import { RetentionService } from './retention.service';

/** GDPR erasure on request: an operator removes one booking's personal data now. Audited. */
@Controller('api/bookings')
export class BookingErasureController {
  constructor(private readonly retention: RetentionService) {}

  @Post(':reference/erase')
  @OperatorOnly()
  @Audited('booking.erase', routeParam('reference'))
  @HttpCode(200)
  @ApiOperation({ summary: "Erase one booking's personal data now (on the passenger's request); audited" })
  @ApiOkResponse({ type: ErasureResultDto })
  async erase(@Param('reference', bookingReferencePipe) reference: string, @Principal() who: OpsPrincipal): Promise<ErasureResultDto> {
    const result = await this.retention.eraseBooking(reference, who);
    if (!result) throw new NotFoundException(`booking ${reference} not found`);
    return result;
  }
}
