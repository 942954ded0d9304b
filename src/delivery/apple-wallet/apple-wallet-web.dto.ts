import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

/** POST …/registrations/…: the device's APNs token for pass updates. */
export class PassRegistrationBody {
  @IsString()
  @Matches(/^[0-9a-fA-F]{64,200}$/, { message: 'pushToken must be the APNs device token: 64 to 200 hexadecimal digits' })
  pushToken!: string;
}

/** POST /v1/log: messages Wallet reports about our web service (errors it met). */
export class PassLogBody {
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  logs!: string[];
}
