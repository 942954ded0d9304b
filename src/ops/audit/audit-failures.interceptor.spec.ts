import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { describeFailure } from './audit-failures.interceptor';

describe('describeFailure', () => {
  it('keeps the status and the message an operator was told', () => {
    expect(describeFailure(new NotFoundException('notification x not found'))).toEqual({ status: 404, reason: 'notification x not found' });
    expect(describeFailure(new ConflictException('dead letter y was re-driven already'))).toEqual({ status: 409, reason: 'dead letter y was re-driven already' });
  });

  it('joins validation messages', () => {
    const refused = new BadRequestException({ statusCode: 400, message: ['granted must be a boolean value', 'x should not exist'], error: 'Bad Request' });
    expect(describeFailure(refused)).toEqual({ status: 400, reason: 'granted must be a boolean value; x should not exist' });
  });

  it('records what broke for an unexpected error, which the caller sees as a 500', () => {
    expect(describeFailure(new Error('connection terminated unexpectedly'))).toEqual({ status: 500, reason: 'connection terminated unexpectedly' });
    expect(describeFailure('odd')).toEqual({ status: 500, reason: 'odd' });
  });
});
