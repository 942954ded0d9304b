import { BadRequestException } from '@nestjs/common';
import { bookingReferencePipe, ParsePatternPipe } from './parse-pattern.pipe';

describe('ParsePatternPipe', () => {
  it('passes a matching value through and refuses others with a 400 naming the parameter', () => {
    expect(bookingReferencePipe.transform('ABC123')).toBe('ABC123');
    expect(() => bookingReferencePipe.transform('abc123')).toThrow(BadRequestException);
    expect(() => bookingReferencePipe.transform('ABC1234')).toThrow('reference must be a booking reference: 6 letters A-Z or digits');
    expect(() => new ParsePatternPipe('code', /^\d+$/, 'digits').transform(undefined)).toThrow('code must be digits');
  });
});
