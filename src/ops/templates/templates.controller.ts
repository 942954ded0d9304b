import { BadRequestException, Controller, Get, Param, ParseEnumPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ParsePatternPipe } from '../../common/parse-pattern.pipe';
import { CHANNELS, NOTIFICATION_TYPES, type Channel, type NotificationType } from '../../vocabulary/notification-types';
import { ReadOnly } from '../auth/ops-role';
import { TemplatePreviewService } from './template-preview.service';
import { LOCALE_PATTERN, TemplatePreviewQuery } from './templates.dto';
import { TemplateCatalogDto, TemplatePreviewDto } from './templates.responses';

const enumPipe = (name: string, values: readonly string[]) =>
  new ParseEnumPipe(Object.fromEntries(values.map((v) => [v, v])), {
    exceptionFactory: () => new BadRequestException(`${name} must be one of ${values.join(', ')}`),
  });
const typePipe = enumPipe('type', NOTIFICATION_TYPES);
const channelPipe = enumPipe('channel', CHANNELS);
const localePipe = new ParsePatternPipe('locale', LOCALE_PATTERN, 'a language tag such as ja or pt-PT');

/** What the service can say, in which words: every type × channel × catalog, rendered for sample facts. */
@Controller('api/templates')
@ReadOnly()
export class TemplatesController {
  constructor(private readonly previews: TemplatePreviewService) {}

  @Get()
  @ApiOperation({ summary: 'The notification types, channels and catalogs loaded; per type its lines, fact combinations and WhatsApp template names' })
  @ApiOkResponse({ type: TemplateCatalogDto })
  list(): TemplateCatalogDto {
    return this.previews.catalog();
  }

  @Get(':type/:channel/:locale/preview')
  @ApiOperation({ summary: 'One type rendered for a channel in a catalog with sample facts (a named combination, or the one telling the most); nothing is sent' })
  @ApiOkResponse({ type: TemplatePreviewDto })
  preview(
    @Param('type', typePipe) type: NotificationType,
    @Param('channel', channelPipe) channel: Channel,
    @Param('locale', localePipe) locale: string,
    @Query() query: TemplatePreviewQuery,
  ): TemplatePreviewDto {
    return this.previews.previewTemplate(type, channel, locale, query.facts);
  }
}
