import { ApiProperty } from '@nestjs/swagger';
import { FLIGHT_STATUSES } from '../../events/event-types';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';

/** GET /api/flights/:flight — one flight as the operator on duty needs it: its status, and who was told what. */
export class FlightLegDto {
  @ApiProperty({ example: 'AMS' }) origin!: string;
  @ApiProperty({ example: 'CDG' }) destination!: string;
  @ApiProperty({ enum: FLIGHT_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) scheduledDeparture!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) estimatedDeparture!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) estimatedArrival!: string | null;
  @ApiProperty({ type: String, nullable: true }) departureGate!: string | null;
  @ApiProperty({ type: String, nullable: true }) departureTerminal!: string | null;
  @ApiProperty({ type: String, nullable: true }) arrivalGate!: string | null;
  @ApiProperty({ type: String, nullable: true }) baggageBelt!: string | null;
  @ApiProperty({ type: String, nullable: true }) divertedTo!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'integer', description: 'Version of the last applied flight-status snapshot.' }) version!: number;
  @ApiProperty({ format: 'date-time', description: 'When that snapshot was applied.' }) updatedAt!: string;
}

export class FlightCountDto {
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
}

export class FlightPassengersDto {
  @ApiProperty({ type: 'integer', description: 'Passengers with at least one notification about this flight.' }) planned!: number;
  @ApiProperty({ type: 'integer', description: 'Passengers with at least one of them sent, delivered or read.' }) told!: number;
  @ApiProperty({ type: 'integer', description: 'Passengers with at least one of them failed.' }) withFailures!: number;
}

export class FlightFailureDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: string;
  @ApiProperty({ example: 'ABC123' }) bookingReference!: string;
  @ApiProperty() passengerId!: string;
  @ApiProperty({ example: '+31*****678', description: 'Masked: phone and e-mail show only enough to tell two apart; a partner name as is.' })
  maskedRecipient!: string;
  @ApiProperty({ type: String, nullable: true, description: "The provider's error code.", example: '131026' }) errorCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its message, personal data masked.' }) error!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it failed (last change).' }) failedAt!: string;
}

export class FlightViewDto {
  @ApiProperty({ example: 'KL1234-2026-12-01' }) flight!: string;
  @ApiProperty({ type: [FlightLegDto], description: 'Latest status per departure airport; empty when no flight status was received.' })
  legs!: FlightLegDto[];
  @ApiProperty({ type: FlightPassengersDto }) passengers!: FlightPassengersDto;
  @ApiProperty({ type: [FlightCountDto], description: 'Notifications about this flight per type × channel × status (non-zero cells only).' })
  counts!: FlightCountDto[];
  @ApiProperty({ type: [FlightFailureDto], description: 'Failed notifications, newest first, at most 200.' })
  failed!: FlightFailureDto[];
  @ApiProperty({ type: 'integer', description: 'All failed notifications of the flight (the list may be cut).' }) failedTotal!: number;
}
