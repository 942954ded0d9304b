import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS } from '../vocabulary/notification-types';

export class ConsentChangeDto {
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty() granted!: boolean;
  @ApiProperty({ type: 'integer', description: 'Pending notifications on this channel cancelled by a withdrawal.' }) cancelledPending!: number;
}
