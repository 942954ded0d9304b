import { BadRequestException } from '@nestjs/common';

/**
 * The rule every bulk action follows (docs/decisions/0006): one that would touch more than
 * BULK_CONFIRM_ABOVE items goes ahead only when the request echoes the exact count back in `confirm`,
 * the number a dry run showed. A `confirm` that no longer matches (the set grew or shrank since the
 * operator counted) is refused too, whatever the size.
 */
export function confirmationProblem(matched: number, confirm: number | undefined, above: number, noun: string): string | undefined {
  const things = `${matched} ${noun}${matched === 1 ? '' : 's'}`;
  if (confirm !== undefined && confirm !== matched) {
    return `confirm is ${confirm}, but this would touch ${things} now; count again (dryRun) and send confirm: ${matched} to go ahead`;
  }
  if (confirm === undefined && matched > above) {
    return `this would touch ${things}, more than ${above} (BULK_CONFIRM_ABOVE); send confirm: ${matched} to go ahead`;
  }
  return undefined;
}

/** The 400 of a bulk action refused for want of confirmation; `matched` tells a client the count to echo. */
export class ConfirmationRequired extends BadRequestException {
  constructor(message: string, matched: number) {
    super({ statusCode: 400, error: 'Bad Request', message, field: 'confirm', matched });
  }
}

export function requireConfirmation(matched: number, confirm: number | undefined, above: number, noun: string): void {
  const problem = confirmationProblem(matched, confirm, above, noun);
  if (problem) throw new ConfirmationRequired(problem, matched);
}
