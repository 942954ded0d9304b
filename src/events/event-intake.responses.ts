import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class EventIntakeResultDto {
  @ApiProperty({ type: 'integer', description: 'Position in the request (0 for a single event).' }) index!: number;
  @ApiProperty({ type: 'string', nullable: true }) id!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) source!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) type!: string | null;
  @ApiProperty({
    enum: ['applied', 'duplicate', 'parked'],
    description: 'applied: its effects are committed; duplicate: seen before (same source and id), nothing changed; parked: kept with its reason for an operator (GET /api/dead-letters).',
  })
  outcome!: 'applied' | 'duplicate' | 'parked';
  @ApiPropertyOptional({ type: 'integer', description: 'Notifications planned (applied only).' }) notifications?: number;
  @ApiPropertyOptional({ description: 'Why it was parked (parked only).' }) reasonCode?: string;
  @ApiPropertyOptional({ description: 'The reason in words, naming the field (parked only).' }) reason?: string;
}

/** POST /api/events: one result per event, in the order sent. */
export class EventIntakeResultsDto {
  @ApiProperty({ type: [EventIntakeResultDto] }) results!: EventIntakeResultDto[];
}
