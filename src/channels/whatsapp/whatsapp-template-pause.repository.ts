import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationRepository } from '../../notifications/notification.repository';
import { MetaTemplatePauseRepository } from '../meta-template-pause.repository';

export { TEMPLATE_PAUSED_CODE, type TemplatePause } from '../meta-template-pause.repository';

/** WhatsApp templates Meta took out of use (whatsapp_template_pauses). */
@Injectable()
export class WhatsAppTemplatePauseRepository extends MetaTemplatePauseRepository {
  constructor(dataSource: DataSource, notifications: NotificationRepository) {
    super(dataSource, notifications, 'whatsapp_template_pauses', 'whatsapp');
  }
}
