import { BadRequestException } from '@nestjs/common';
import { factCombinations, type FactCombination } from '../../rendering/message-combinations';
import { MESSAGE_DEFINITIONS } from '../../rendering/message-definitions';
import type { NotificationType } from '../../vocabulary/notification-types';

/**
 * The sample a preview renders: the combination of optional facts a `facts` parameter names (comma-separated,
 * any order; empty: none), or without one the combination that tells the most. A name the type never tells,
 * or facts it never tells together, is refused with a 400 naming `facts`.
 */
export function combinationFor(type: NotificationType, facts: string | undefined): FactCombination {
  const combinations = factCombinations().filter((c) => c.type === type);
  if (facts === undefined) return combinations.reduce((most, c) => (c.facts.length > most.facts.length ? c : most));
  const wanted = facts === '' ? [] : [...new Set(facts.split(','))];
  const optional = optionalFacts(type);
  const unknown = wanted.filter((fact) => !optional.includes(fact));
  if (unknown.length > 0) {
    throw new BadRequestException(`facts: ${type} has no optional fact ${unknown.join(', ')} (its optional facts: ${optional.join(', ') || 'none'})`);
  }
  const key = [...wanted].sort().join(',');
  const found = combinations.find((c) => [...c.facts].sort().join(',') === key);
  if (!found) {
    const told = wanted.length > 0 ? `${wanted.join(' + ')} together` : 'without an optional fact';
    throw new BadRequestException(`facts: ${type} never tells ${told}; GET /api/templates lists its combinations`);
  }
  return found;
}

/** The facts a type tells only sometimes (lines with a condition), in definition order. */
export function optionalFacts(type: NotificationType): string[] {
  return [...new Set(MESSAGE_DEFINITIONS[type].lines.filter((line) => line.when).map((line) => line.fact))];
}
