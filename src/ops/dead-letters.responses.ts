import { ApiProperty } from '@nestjs/swagger';

/** Response shapes of the dead-letter endpoints, as JSON sends them. */
export class DeadLetterDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'unknown-reference' }) reasonCode!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The CloudEvent type, when it could be read.' }) type!: string | null;
  @ApiProperty({ type: String, nullable: true }) source!: string | null;
  @ApiProperty({ type: String, nullable: true }) eventId!: string | null;
  @ApiProperty() routingKey!: string;
  @ApiProperty({ type: 'integer', description: 'Size of the whole body as received.' }) bodyBytes!: number;
  @ApiProperty({ description: 'Oversize: only the first 4 KiB and the hash were kept, so it cannot be re-driven as is.' }) truncated!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When its body was erased with its booking.' })
  erasedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) parkedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) redrivenAt!: string | null;
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto], description: 'Newest first.' }) items!: DeadLetterDto[];
}

export class RedriveAppliedDto {
  @ApiProperty({ enum: ['applied'] }) kind!: 'applied';
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'integer', description: 'Notifications planned from it.' }) notifications!: number;
}

export class RedriveDuplicateDto {
  @ApiProperty({ enum: ['duplicate'] }) kind!: 'duplicate';
  @ApiProperty() type!: string;
}

export class RedriveParkedDto {
  @ApiProperty({ enum: ['parked'], description: 'Still broken: parked again with its new reason.' }) kind!: 'parked';
  @ApiProperty() reasonCode!: string;
  @ApiProperty() reason!: string;
}

export class RedriveSkippedDto {
  @ApiProperty({ enum: ['skipped'] }) kind!: 'skipped';
  @ApiProperty() reason!: string;
}
