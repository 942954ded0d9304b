import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit.repository';

/** GET /api/audit. Unknown parameters are refused (whitelist + forbidNonWhitelisted). */
export class AuditQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ maxLength: 100, example: 'replay.bulk', description: 'Only this action (replay.one, replay.bulk, dead-letter.redrive, ...).' })
  @IsOptional() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES, description: 'Only actions that took effect, or only those that failed.' })
  @IsOptional() @IsIn(AUDIT_OUTCOMES) outcome?: AuditOutcome;
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
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: AuditOutcome;
  @ApiProperty({ type: String, nullable: true, description: 'Why a failed action failed (personal data masked).' }) reason!: string | null;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first.' }) items!: AuditEntryDto[];
}
