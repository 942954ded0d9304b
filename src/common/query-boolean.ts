import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** What a query string says, as a boolean: exactly `true` or `false`; anything else is left for the check to refuse. */
export function parseQueryBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/**
 * An optional boolean query parameter. Query strings carry text, and `@Type(() => Boolean)` reads every
 * non-empty text, `false` included, as true; so the text is mapped here and anything but `true`/`false`
 * (`1`, `yes`, an empty or repeated parameter) is a 400 naming the parameter.
 */
export function QueryBoolean(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => parseQueryBoolean(value)),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );
}
