/** Placeholder until the delay-code table lands (branch reasons16): no code is explained yet. */
export function delayReasonKey(code: string): string | undefined {
  void code;
  return undefined;
}
