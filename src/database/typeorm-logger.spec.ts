import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { MaskedTypeOrmLogger } from './typeorm-logger';

/** A PostgreSQL unique violation as pg reports it: the values are in `detail`, the statement's in `parameters`. */
function uniqueViolation(): QueryFailedError {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "passengers_pkey"'), {
    code: '23505',
    detail: 'Key (email)=(jane.doe@example.org) already exists.',
  });
  return new QueryFailedError('INSERT INTO passengers (name, email) VALUES ($1, $2)', ['Jane Secretname', 'jane.doe@example.org'], driverError);
}

describe('TypeORM logs through the service logger without parameters or detail', () => {
  const warn = jest.fn<void, [string]>();
  const debug = jest.fn<void, [string]>();
  const log = jest.fn<void, [string]>();
  const logger = new MaskedTypeOrmLogger({ warn, debug, log } as unknown as Logger);

  beforeEach(() => jest.clearAllMocks());

  it('logs a failed query with its SQLSTATE, message and SQL text only', () => {
    const error = uniqueViolation();
    logger.logQueryError(error, `INSERT INTO passengers (name, email)\n   VALUES ($1, $2)`);
    expect(warn).toHaveBeenCalledTimes(1);
    const [line] = warn.mock.calls[0];
    expect(line).toBe('query failed: 23505 duplicate key value violates unique constraint "passengers_pkey" — INSERT INTO passengers (name, email) VALUES ($1, $2)');
    expect(line).not.toContain('Secretname');
    expect(line).not.toContain('example.org');
  });

  it('writes nothing for ordinary queries, and routes pool warnings and migrations', () => {
    logger.logQuery();
    logger.log('warn', new Error('Connection terminated unexpectedly'));
    logger.log('info', 'notice');
    logger.logMigration('Migration X has been executed successfully.');
    expect(warn.mock.calls).toEqual([['Connection terminated unexpectedly']]);
    expect(debug.mock.calls).toEqual([['notice']]);
    expect(log.mock.calls).toEqual([['Migration X has been executed successfully.']]);
  });
});
