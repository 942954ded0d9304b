/**
 * Every line every replica of the fault suite wrote, filed under the fault that was under way, so the
 * lines written while PostgreSQL was killed or restarted mid-batch can be scanned and counted on their own.
 */
export class ServiceLogs {
  private current = 'start';
  private readonly byFault = new Map<string, string[]>();

  /** Lines from now on belong to this fault (until the next one begins). */
  during(fault: string): void {
    this.current = fault;
  }

  add(line: string): void {
    const lines = this.byFault.get(this.current) ?? [];
    lines.push(line);
    this.byFault.set(this.current, lines);
  }

  of(fault: string): string[] {
    return this.byFault.get(fault) ?? [];
  }

  all(): string[] {
    return [...this.byFault.values()].flat();
  }

  /** `<fault>\t<line>` for each line, to read after a failed run. */
  text(): string {
    return [...this.byFault].flatMap(([fault, lines]) => lines.map((line) => `${fault}\t${line}\n`)).join('');
  }
}
