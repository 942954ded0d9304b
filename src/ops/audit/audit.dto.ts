import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';

/** GET /api/audit. Unknown parameters are refused (whitelist + forbidNonWhitelisted). */
export class AuditQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  /** E.g. replay.one, replay.bulk, dead-letter.redrive, dead-letter.redrive-bulk, consent.change, booking.erase. */
  @IsOptional() @MaxLength(100) action?: string;
}

export class AuditEntryDto {
  @ApiProperty({ pattern: '^[0-9]+$', example: '42', description: 'Sequence number (a bigint, sent as a string).' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'operator:1a2b3c4d', description: 'Fingerprint of the token, never the token.' }) actor!: string;
  @ApiProperty({ enum: ['viewer', 'operator'] }) role!: string;
  @ApiProperty({ example: 'replay.bulk' }) action!: string;
  @ApiProperty({ type: String, nullable: true }) target!: string | null;
  @ApiProperty({ type: 'integer' }) affected!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) detail!: Record<string, unknown> | null;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first.' }) items!: AuditEntryDto[];
}
