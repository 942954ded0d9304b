import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationRepository } from '../../notifications/notification.repository';
import { MetaTemplatePauseRepository } from '../meta-template-pause.repository';

export { TEMPLATE_PAUSED_CODE as MESSENGER_TEMPLATE_PAUSED_CODE, type TemplatePause as MessengerTemplatePause } from '../meta-template-pause.repository';

/** Messenger utility templates Meta took out of use (messenger_template_pauses). */
@Injectable()
export class MessengerTemplatePauseRepository extends MetaTemplatePauseRepository {
  constructor(dataSource: DataSource, notifications: NotificationRepository) {
    super(dataSource, notifications, 'messenger_template_pauses', 'messenger');
  }
}
