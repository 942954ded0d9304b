import { BadRequestException } from '@nestjs/common';
import { RejectNulPipe } from './reject-nul.pipe';

describe('RejectNulPipe', () => {
  const pipe = new RejectNulPipe();

  it('passes ordinary values through untouched', () => {
    const body = { errorCode: '131026', nested: { list: ['a', 'b'] } };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });

  it('refuses a NUL anywhere, naming where', () => {
    expect(() => pipe.transform({ filter: { errorCode: 'x\u0000y' } }, { type: 'body' })).toThrow(
      new BadRequestException('body.filter.errorCode must not contain NUL characters'),
    );
    expect(() => pipe.transform('a\u0000', { type: 'param', data: 'passengerId' })).toThrow(/passengerId must not contain NUL/);
  });
});
