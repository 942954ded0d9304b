import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { maskPersonalData } from '../../common/mask';
import { InjectConfig, RENDERING_CONFIG, type RenderingConfig } from '../../config/config-slices';
import { NotificationQueryRepository } from '../../notifications/notification-query.repository';
import { factCombinations } from '../../rendering/message-combinations';
import { composeMessage } from '../../rendering/message-composer';
import { MESSAGE_DEFINITIONS } from '../../rendering/message-definitions';
import { countSmsSegments } from '../../rendering/sms-segments';
import { TemplateRenderer } from '../../rendering/template-renderer.service';
import { whatsappLanguage } from '../../rendering/whatsapp-template-rules';
import { CHANNELS, isChannel, NOTIFICATION_TYPES, type Channel, type NotificationType } from '../../vocabulary/notification-types';
import type { RenderContext } from '../../vocabulary/render-context';
import { combinationFor } from './fact-combination';
import type { NotificationPreviewQuery } from './templates.dto';
import type { NotificationPreviewDto, TemplateCatalogDto, TemplatePreviewDto, TemplateTypeDto } from './templates.responses';

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/**
 * What operators can look at before (or after) a passenger does: every type × channel × catalog the
 * service renders, for sample facts or for a stored notification in another language or channel. It only
 * renders — through the same TemplateRenderer the dispatcher uses — and never sends or writes anything.
 */
@Injectable()
export class TemplatePreviewService {
  private listing: TemplateCatalogDto | undefined;

  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly notifications: NotificationQueryRepository,
    @InjectConfig(RENDERING_CONFIG) private readonly config: RenderingConfig,
  ) {}

  /** Types, channels, catalogs, and per type its lines and fact combinations with their WhatsApp template names. */
  catalog(): TemplateCatalogDto {
    // Definitions and catalogs are fixed once the renderer has loaded: work it out once (≈1,400 cached renders).
    this.listing ??= this.buildCatalog();
    return this.listing;
  }

  /** A type on a channel in a catalog, for sample facts: the combination named, or the one telling the most. */
  previewTemplate(type: NotificationType, channel: Channel, locale: string, facts?: string): TemplatePreviewDto {
    this.requireCatalog(locale);
    return this.preview(type, channel, locale, combinationFor(type, facts).context);
  }

  /** A stored notification rendered again from its own facts, in another locale and/or channel; nothing is sent. */
  async previewNotification(id: string, query: NotificationPreviewQuery): Promise<NotificationPreviewDto> {
    const n = await this.notifications.findById(id);
    if (!n) throw new NotFoundException(`notification ${id} not found`);
    if ('erased' in n.context) throw new ConflictException(`notification ${id} was erased with its booking's personal data: there is nothing to preview`);
    const channel = query.channel ?? (isChannel(n.channel) ? n.channel : undefined);
    if (!channel) throw new BadRequestException(`channel is required: notification ${id} went to a partner webhook, which has no template (give ${CHANNELS.join(', ')})`);
    const locale = query.locale === undefined ? n.locale : this.requireCatalog(query.locale);
    let preview: TemplatePreviewDto;
    try {
      preview = this.preview(n.type, channel, locale, n.context);
    } catch (error) {
      throw new UnprocessableEntityException(`notification ${id} cannot be rendered for ${channel} in ${locale}: ${maskPersonalData((error as Error).message)}`);
    }
    return { ...preview, notificationId: n.id, sentLocale: n.locale, sentChannel: n.channel };
  }

  private preview(type: NotificationType, channel: Channel, locale: string, stored: RenderContext): TemplatePreviewDto {
    const context = { ...stored, locale };
    const content = this.renderer.render(type, channel, locale, context);
    const catalogs = this.renderer.messageCatalogs();
    return {
      type,
      channel,
      locale,
      dir: catalogs.direction(content.locale),
      facts: composeMessage(catalogs, type, locale, context, channel).shape.facts,
      content,
      sms: channel === 'sms' ? { ...countSmsSegments(content.text), budget: this.config.SMS_SEGMENT_BUDGET } : null,
    };
  }

  private requireCatalog(locale: string): string {
    const locales = this.renderer.messageCatalogs().locales();
    if (!locales.includes(locale)) throw new BadRequestException(`locale must be one of the catalogs: ${locales.join(', ')} (not ${locale})`);
    return locale;
  }

  private buildCatalog(): TemplateCatalogDto {
    const catalogs = this.renderer.messageCatalogs();
    const locales = catalogs.locales();
    const templates: TemplateTypeDto[] = NOTIFICATION_TYPES.map((type) => {
      const definition = MESSAGE_DEFINITIONS[type];
      return {
        type,
        lines: definition.lines.map((line) => ({ fact: line.fact, key: line.key, optional: !!line.when, notOn: [...(line.notOn ?? [])] })),
        combinations: factCombinations()
          .filter((c) => c.type === type)
          .map(({ facts, context }) => ({
            facts,
            whatsapp: locales.map((locale) => {
              const template = this.renderer.render(type, 'whatsapp', locale, { ...context, locale }).whatsappTemplate;
              if (!template) throw new Error(`WhatsApp rendering of ${type} in ${locale} gave no template form`);
              return { locale, name: template.name, language: template.language };
            }),
          })),
        document: !!definition.document,
      };
    });
    return {
      types: [...NOTIFICATION_TYPES],
      channels: [...CHANNELS],
      locales: locales.map((code) => ({ code, name: LANGUAGE_NAMES.of(code) ?? code, dir: catalogs.direction(code), whatsappLanguage: whatsappLanguage(code) })),
      smsSegmentBudget: this.config.SMS_SEGMENT_BUDGET,
      templates,
    };
  }
}
