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
  @ApiProperty({ type: 'integer', description: "Devices of the booking's app accounts that no other booking names." }) appDevices!: number;
  @ApiProperty({ type: 'integer', description: 'Parked events whose bodies were erased.' }) parkedEvents!: number;
  @ApiProperty({ type: 'integer', description: 'Audit entries scrubbed of the booking\'s personal data.' }) auditEntries!: number;
  @ApiProperty({ type: 'integer', description: 'Replay filters scrubbed.' }) replays!: number;
  @ApiProperty({ type: 'integer', description: 'Sandbox outbox files removed.' }) outboxFiles!: number;
}
