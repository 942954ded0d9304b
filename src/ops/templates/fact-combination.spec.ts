import { BadRequestException } from '@nestjs/common';
import { factCombinations } from '../../rendering/message-combinations';
import { NOTIFICATION_TYPES } from '../../vocabulary/notification-types';
import { combinationFor, optionalFacts } from './fact-combination';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return String((error as BadRequestException).message);
  }
  throw new Error('not refused');
};

describe('combinationFor: the sample facts a preview renders', () => {
  it('finds every combination the definitions can produce by its facts, in any order', () => {
    for (const combination of factCombinations()) {
      expect(combinationFor(combination.type, combination.facts.join(','))).toBe(combination);
      expect(combinationFor(combination.type, [...combination.facts].reverse().join(','))).toBe(combination);
    }
  });

  it('takes the combination that tells the most when none is named', () => {
    for (const type of NOTIFICATION_TYPES) {
      const most = Math.max(...factCombinations().filter((c) => c.type === type).map((c) => c.facts.length));
      expect([type, combinationFor(type, undefined).facts.length]).toEqual([type, most]);
    }
    expect(combinationFor('flight-delay', undefined).facts).toEqual(['delayed', 'gate', 'terminal', 'arrival', 'reason']);
    expect(combinationFor('booking-confirmation', undefined).facts).toEqual([]);
  });

  it('reads an empty list as no optional fact, and a repeated name once', () => {
    expect(combinationFor('booking-cancellation', '').facts).toEqual([]);
    expect(combinationFor('flight-delay', 'gate,delayed,gate').facts).toEqual(['delayed', 'gate']);
  });

  it('refuses a fact the type never tells, and facts never told together, naming the field', () => {
    expect(refusal(() => combinationFor('flight-delay', 'belt'))).toBe(
      'facts: flight-delay has no optional fact belt (its optional facts: delayed, earlier, gate, terminal, arrival, reason)',
    );
    expect(refusal(() => combinationFor('flight-delay', 'delayed,earlier'))).toMatch(/^facts: flight-delay never tells delayed \+ earlier together/);
    expect(refusal(() => combinationFor('flight-delay', ''))).toMatch(/^facts: flight-delay never tells without an optional fact/);
    expect(refusal(() => combinationFor('checkin-open', 'gate'))).toMatch(/its optional facts: none\)$/);
  });

  it('lists the optional facts of a type once each, in line order', () => {
    expect(optionalFacts('boarding-pass')).toEqual(['boarding_time', 'group', 'gate', 'terminal']);
  });
});
