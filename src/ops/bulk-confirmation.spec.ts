import { BadRequestException } from '@nestjs/common';
import { confirmationProblem, requireConfirmation } from './bulk-confirmation';

describe('bulk confirmation', () => {
  it('lets a bulk action up to the threshold through without confirmation', () => {
    expect(confirmationProblem(0, undefined, 1000, 'notification')).toBeUndefined();
    expect(confirmationProblem(1000, undefined, 1000, 'notification')).toBeUndefined();
  });

  it('asks for the count above the threshold, saying how many it would touch', () => {
    expect(confirmationProblem(1001, undefined, 1000, 'notification')).toBe(
      'this would touch 1001 notifications, more than 1000 (BULK_CONFIRM_ABOVE); send confirm: 1001 to go ahead',
    );
    expect(confirmationProblem(1, undefined, 0, 'dead letter')).toContain('1 dead letter,');
  });

  it('accepts exactly the count echoed back, and nothing else, whatever the size', () => {
    expect(confirmationProblem(5000, 5000, 1000, 'notification')).toBeUndefined();
    expect(confirmationProblem(5000, 4999, 1000, 'notification')).toContain('confirm is 4999, but this would touch 5000 notifications now');
    expect(confirmationProblem(3, 4, 1000, 'notification')).toContain('confirm is 4');
  });

  it('refuses with a 400 that carries the count', () => {
    try {
      requireConfirmation(1200, undefined, 1000, 'notification');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      expect((error as BadRequestException).getResponse()).toMatchObject({ statusCode: 400, field: 'confirm', matched: 1200 });
    }
  });
});
