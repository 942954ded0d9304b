import { BadRequestException, Body, Controller, HttpCode, NotFoundException, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ConsentService } from '../bookings/consent.service';
import { bookingReferencePipe } from '../common/parse-pattern.pipe';
import { Channel, CHANNELS } from '../vocabulary/notification-types';
import { AuditService } from './audit/audit.service';
import { Audited } from './audit/audited.decorator';
import { OperatorOnly, OpsPrincipal } from './auth/ops-role';
import { Principal } from './auth/principal.decorator';
import { ConsentChangeDto } from './consents.responses';

class ConsentBody {
  @IsBoolean()
  granted!: boolean;
}

const channelPipe = new ParseEnumPipe(Object.fromEntries(CHANNELS.map((c) => [c, c])), {
  exceptionFactory: () => new BadRequestException(`channel must be one of ${CHANNELS.join(', ')}`),
});

/** An operator changing a passenger's consent on their behalf; always audited. */
@Controller('api/bookings/:reference/passengers/:passengerId/consents')
export class ConsentsController {
  constructor(
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
  ) {}

  @Put(':channel')
  @OperatorOnly()
  @Audited('consent.change', (r) => [r.params.reference, r.params.passengerId, r.params.channel].map((p) => String(p).slice(0, 64)).join('/'))
  @HttpCode(200)
  @ApiOperation({ summary: "Grant or withdraw a passenger's consent to a channel on their behalf; audited" })
  @ApiOkResponse({ type: ConsentChangeDto })
  async set(
    @Param('reference', bookingReferencePipe) reference: string,
    @Param('passengerId') passengerId: string,
    @Param('channel', channelPipe) channel: Channel,
    @Body() body: ConsentBody,
    @Principal() who: OpsPrincipal,
  ): Promise<ConsentChangeDto> {
    const result = await this.consents.setConsent(reference, passengerId, channel, body.granted);
    if (!result.found) throw new NotFoundException(`passenger ${passengerId} is not on booking ${reference}`);
    await this.audit.record(who, 'consent.change', {
      target: `${reference}/${passengerId}/${channel}`,
      affected: 1,
      detail: { granted: body.granted, cancelledPending: result.cancelled },
    });
    return { channel, granted: body.granted, cancelledPending: result.cancelled };
  }
}
