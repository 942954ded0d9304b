import { ApiProperty } from '@nestjs/swagger';

/** POST /api/bookings/:reference/erase: what was scrubbed (rows touched per table). */
export class ErasureResultDto {
  @ApiProperty() bookingReference!: string;
  @ApiProperty({ type: 'integer', description: 'Pending notifications cancelled before the scrub.' }) cancelled!: number;
  @ApiProperty({ description: 'Purged before (retention or an earlier request); erasing again is harmless.' }) alreadyPurged!: boolean;
  @ApiProperty({ type: 'integer' }) passengers!: number;
  @ApiProperty({ type: 'integer' }) consents!: number;
  @ApiProperty({ type: 'integer' }) checkins!: number;
  @ApiProperty({ type: 'integer' }) segments!: number;
  @ApiProperty({ type: 'integer' }) notifications!: number;
  @ApiProperty({ type: 'integer' }) contacts!: number;
}
