import { BadRequestException, PipeTransform } from '@nestjs/common';

/**
 * A path parameter that must match a pattern, refused with a 400 naming it. The pattern is public so the
 * OpenAPI document states the same rule the server applies (src/openapi/openapi-routes.ts).
 */
export class ParsePatternPipe implements PipeTransform<unknown, string> {
  constructor(
    readonly name: string,
    readonly pattern: RegExp,
    private readonly expected: string,
  ) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) throw new BadRequestException(`${this.name} must be ${this.expected}`);
    return value;
  }
}

/** A booking reference (PNR record locator) as the event contract writes it. */
export const bookingReferencePipe = new ParsePatternPipe('reference', /^[A-Z0-9]{6}$/, 'a booking reference: 6 letters A-Z or digits');
