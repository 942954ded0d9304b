import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ReadOnly } from '../auth/ops-role';
import { TemplatePreviewService } from './template-preview.service';
import { NotificationPreviewQuery } from './templates.dto';
import { NotificationPreviewDto } from './templates.responses';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

/** A notification as it would read in another language or on another channel (the read API shows it as sent). */
@Controller('api/notifications')
@ReadOnly()
export class NotificationPreviewController {
  constructor(private readonly previews: TemplatePreviewService) {}

  @Get(':id/preview')
  @ApiOperation({ summary: "A notification rendered again from its stored facts in another locale and/or channel; nothing is sent or stored" })
  @ApiOkResponse({ type: NotificationPreviewDto })
  @ApiConflictResponse({ description: "The notification's personal data was erased: there is nothing to render." })
  @ApiUnprocessableEntityResponse({ description: 'Its stored facts cannot be rendered for that channel and locale; the message says why.' })
  preview(@Param('id', uuid) id: string, @Query() query: NotificationPreviewQuery): Promise<NotificationPreviewDto> {
    return this.previews.previewNotification(id, query);
  }
}
