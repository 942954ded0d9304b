import { NotificationRow, RECORD_COLUMNS, toNotification } from './notification-records';

describe('RECORD_COLUMNS', () => {
  it('names every column a notification record is made of, but the context a claim reads from its own table', () => {
    const read = new Set<string>();
    const row = new Proxy({} as NotificationRow, {
      get: (_target, key) => {
        read.add(String(key));
        return null;
      },
    });
    toNotification(row);
    const listed = RECORD_COLUMNS.split(',').map((c) => c.trim().replace(/^n\./, ''));
    expect(new Set(listed)).toEqual(new Set([...read].filter((c) => c !== 'context')));
    expect(listed).toHaveLength(new Set(listed).size);
  });
});
