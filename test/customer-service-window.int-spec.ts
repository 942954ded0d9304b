import type { DataSource } from 'typeorm';
import { CustomerServiceWindowRepository } from '../src/channels/customer-service-window.repository';
import { createDataSource } from '../src/database/data-source';
import { createTestEnvironment, TestEnvironment } from './support/test-app';

describe('customer-service windows (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let dataSource: DataSource;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    dataSource = await createDataSource(environment.env.DATABASE_URL, 2).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await environment?.dispose();
  });

  it('answers a batch of concurrent questions with one query, each answer its own', async () => {
    const windows = new CustomerServiceWindowRepository(dataSource);
    const now = new Date();
    await windows.open('whatsapp', '+31600000001', new Date(now.getTime() - 60_000));
    await windows.open('whatsapp', '+31600000002', new Date(now.getTime() - 25 * 3600_000)); // closed an hour ago
    await windows.open('sms', '+31600000003', now); // another channel's window

    const query = jest.spyOn(dataSource, 'query');
    const asked = Array.from({ length: 30 }, (_, i) => `+316000000${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(asked.map((contact) => windows.isOpen('whatsapp', contact, now)));
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();

    expect(asked.filter((_, i) => answers[i])).toEqual(['+31600000001']);
    expect(await windows.isOpen('sms', '+31600000003', now)).toBe(true);
  });

  it('sees a window opened after an earlier answer (nothing is cached)', async () => {
    const windows = new CustomerServiceWindowRepository(dataSource);
    expect(await windows.isOpen('whatsapp', '+31600000099')).toBe(false);
    await windows.open('whatsapp', '+31600000099', new Date());
    expect(await windows.isOpen('whatsapp', '+31600000099')).toBe(true);
  });
});
