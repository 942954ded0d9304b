import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * PostgreSQL text cannot hold a NUL character, and no honest request needs one. Any route parameter,
 * query value or body string containing it is refused with a 400 naming the field, before it reaches SQL.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const path = findNul(value, metadata.data ?? metadata.type);
    if (path) throw new BadRequestException(`${path} must not contain NUL characters`);
    return value;
  }
}

function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}.${key.replace(/\u0000/g, '\\0')}`;
    const found = findNul(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
