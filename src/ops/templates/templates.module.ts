import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/notifications.module';
import { RenderingModule } from '../../rendering/rendering.module';
import { NotificationPreviewController } from './notification-preview.controller';
import { TemplatePreviewService } from './template-preview.service';
import { TemplatesController } from './templates.controller';

/** Operators' preview of the messages: GET /api/templates, a type's preview, a notification in another language. Read-only. */
@Module({
  imports: [RenderingModule, NotificationsModule],
  controllers: [TemplatesController, NotificationPreviewController],
  providers: [TemplatePreviewService],
})
export class TemplatesModule {}
