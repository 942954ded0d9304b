import { ApiProperty } from '@nestjs/swagger';

/** What a bulk action with `dryRun: true` answers: the count, and whether doing it needs `confirm`. */
export class BulkDryRunDto {
  @ApiProperty({ enum: [true] }) dryRun!: true;
  @ApiProperty({ type: 'integer', description: 'How many the filter matches now.' }) matched!: number;
  @ApiProperty({ description: 'Whether doing it needs `confirm: matched` (more than BULK_CONFIRM_ABOVE).' })
  needsConfirmation!: boolean;
}
