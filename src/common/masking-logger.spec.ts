import { Logger } from '@nestjs/common';
import { createServiceLogger, maskValue } from './masking-logger';

const PHONE = '+31612345678';
const EMAIL = 'jane.doe@example.org';

/** What the logger writes to stdout and stderr while `work` runs. */
function captured(work: () => void): string {
  const chunks: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  try {
    work();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('');
}

/** A driver error as TypeORM hands it on: the row's values in its other properties. */
function queryError(): Error {
  return Object.assign(new Error(`insert failed for ${EMAIL}`), {
    parameters: ['Jane Secretname', PHONE],
    detail: 'Failing row contains (Jane Secretname).',
  });
}

describe('the service logger masks everything it writes', () => {
  it.each(['json', 'text'] as const)('masks strings, structured fields, keys, errors and stacks (%s)', (format) => {
    const logger = createServiceLogger('verbose', format);
    const text = captured(() => {
      logger.log(`sent to ${PHONE}`, 'Sender');
      logger.debug({ msg: 'attempt', recipient: PHONE, nested: { cc: [EMAIL] }, [EMAIL]: 1 }, 'Sender');
      logger.warn(queryError());
      logger.error(`failed for ${EMAIL}`, `Error: failed for ${EMAIL}\n    at x (y.ts:1:1)`, 'Sender');
      logger.verbose(() => `lazy ${PHONE}`);
    });
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('Secretname');
    expect(text).toContain('+31******678');
    expect(text).toContain('j***@example.org');
    if (format === 'json') {
      const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(5);
      expect(lines[1]).toMatchObject({ level: 'debug', context: 'Sender', message: { recipient: '+31******678', nested: { cc: ['j***@example.org'] } } });
      expect(lines[3]).toMatchObject({ level: 'error', stack: expect.stringContaining('j***@example.org') as unknown });
    }
  });

  it('is what every Nest Logger writes through once installed', () => {
    Logger.overrideLogger(createServiceLogger('log', 'json'));
    try {
      const text = captured(() => new Logger('Anywhere').log({ to: EMAIL }));
      expect(text).toContain('j***@example.org');
      expect(text).not.toContain(EMAIL);
    } finally {
      Logger.overrideLogger(true);
    }
  });

  it('leaves plain values alone and survives cycles', () => {
    const cyclic: Record<string, unknown> = { phone: PHONE };
    cyclic.self = cyclic;
    const masked = maskValue(cyclic) as Record<string, unknown>;
    expect(masked.phone).toBe('+31******678');
    expect(String(masked.self)).not.toContain(PHONE);
    expect(maskValue(42)).toBe(42);
    expect(maskValue(null)).toBeNull();
    expect(maskValue(new Map([['k', EMAIL]]))).not.toContain(EMAIL);
  });
});
