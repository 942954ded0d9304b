import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { maskRecipient } from '../../common/mask';
import { ReadOnly } from '../auth/ops-role';
import { BoardingPassAttachmentSource } from '../../delivery/boarding-pass-attachment-source.service';
import { ATTACHMENT_SOURCE, AttachmentSource } from '../../delivery/attachment-source';
import { WalletLinks } from '../../delivery/wallet-links.service';
import { decodeCursor, encodeCursor } from '../../notifications/cursor';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationDetailDto, NotificationPageDto } from './dto/notification.responses';
import { NotificationQueryRepository } from '../../notifications/notification-query.repository';
import type { ListedNotification, NotificationRecord } from '../../notifications/notification-records';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

/** Read API: what was sent to whom, how it went, and what it said. */
@Controller('api/notifications')
@ReadOnly()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationQueryRepository,
    @Inject(ATTACHMENT_SOURCE) private readonly attachments: AttachmentSource,
    private readonly boardingPasses: BoardingPassAttachmentSource,
    private readonly wallets: WalletLinks,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search notifications, newest first, a page at a time' })
  @ApiOkResponse({ type: NotificationPageDto })
  async list(@Query() query: ListNotificationsQuery) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (query.cursor && !after) throw new BadRequestException('cursor must be a value returned as nextCursor');
    const limit = query.limit ?? 50;
    const { items, last } = await this.notifications.find({ ...query, after, limit });
    return { items: items.map(summary), nextCursor: items.length === limit && last ? encodeCursor(last) : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification: recipient, rendered content, attachments, decoded boarding pass, timeline' })
  @ApiOkResponse({ type: NotificationDetailDto })
  async get(@Param('id', uuid) id: string) {
    const notification = await this.require(id);
    const timeline = await this.notifications.timeline(id);
    return {
      ...summary(notification),
      recipient: notification.recipient,
      attempts: notification.attempts,
      providerMessageId: notification.providerMessageId,
      lastError: notification.lastErrorCode ? { code: notification.lastErrorCode, message: notification.lastError } : null,
      content: notification.content,
      attachments: this.attachments.describe(notification).map((a) => ({
        ...a,
        url: `/api/notifications/${id}/attachments/${encodeURIComponent(a.name)}`,
      })),
      boardingPass: (await this.boardingPasses.decoded(notification)) ?? null,
      wallet: (await this.wallets.withLinks(notification)).context.wallet ?? null,
      timeline,
    };
  }

  @Get(':id/attachments/:name')
  @ApiOperation({ summary: "One of a notification's attachments (a boarding pass's PDF, QR code or Apple Wallet pass), re-made from stored facts" })
  @ApiProduces('application/pdf', 'image/png', 'application/vnd.apple.pkpass')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async attachment(@Param('id', uuid) id: string, @Param('name') name: string, @Res({ passthrough: true }) res: Response) {
    // With its wallet links, so the PDF carries the same buttons as the one the passenger was sent (0034).
    const notification = await this.wallets.withLinks(await this.require(id));
    const found = (await this.attachments.attachmentsFor(notification)).find((a) => a.name === name);
    if (!found) throw new NotFoundException(`notification ${id} has no attachment ${name}`);
    res.setHeader('Content-Type', found.contentType);
    res.setHeader('Content-Disposition', `inline; filename="${found.name}"`);
    return new StreamableFile(found.content);
  }

  private async require(id: string): Promise<NotificationRecord> {
    const notification = await this.notifications.findById(id);
    if (!notification) throw new NotFoundException(`notification ${id} not found`);
    return notification;
  }
}

function summary(n: ListedNotification) {
  return {
    id: n.id,
    type: n.type,
    channel: n.channel,
    status: n.status,
    bookingReference: n.bookingReference,
    passengerId: n.passengerId,
    flight: n.flightKey,
    locale: n.locale,
    maskedRecipient: maskRecipient(n.channel, n.recipient),
    lastErrorCode: n.lastErrorCode,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}
