import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { QueryBoolean } from './query-boolean';

class Query {
  @QueryBoolean('only open ones')
  open?: boolean;
}

const parse = (open: unknown) => {
  const query = plainToInstance(Query, { open });
  return { value: query.open, errors: validateSync(query).flatMap((e) => Object.values(e.constraints ?? {})) };
};

describe('QueryBoolean', () => {
  it('reads true and false as they are written', () => {
    expect(parse('true')).toEqual({ value: true, errors: [] });
    expect(parse('false')).toEqual({ value: false, errors: [] });
  });

  it('leaves an absent parameter absent', () => {
    expect(parse(undefined)).toEqual({ value: undefined, errors: [] });
  });

  it.each([['1'], ['0'], ['yes'], ['TRUE'], [''], [['true', 'false']]])('refuses %j, naming the parameter', (text) => {
    expect(parse(text).errors).toEqual(['open must be true or false']);
  });
});
