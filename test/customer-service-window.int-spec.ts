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

  it('answers the recipients of a batch from one statement, each answer taken once by its send', async () => {
    const windows = new CustomerServiceWindowRepository(dataSource);
    const now = new Date();
    await windows.open('whatsapp', '+31600000201', new Date(now.getTime() - 60_000));
    const query = jest.spyOn(dataSource, 'query');
    await windows.askForBatch('whatsapp', ['+31600000201', '+31600000202', '+31600000201']);
    const answers = [await windows.isOpen('whatsapp', '+31600000201', now), await windows.isOpen('whatsapp', '+31600000202', now)];
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
    expect(answers).toEqual([true, false]);

    // The batch's answer is as old as the batch: a window opened behind this replica's back counts from the next ask.
    await windows.askForBatch('whatsapp', ['+31600000202']);
    await dataSource.query(`INSERT INTO customer_service_windows (channel, contact, last_inbound_at) VALUES ('whatsapp', '+31600000202', now())`);
    expect(await windows.isOpen('whatsapp', '+31600000202')).toBe(false);
    expect(await windows.isOpen('whatsapp', '+31600000202')).toBe(true);
  });

  it('drops the answer asked for a batch when this replica stores a message from the passenger', async () => {
    const windows = new CustomerServiceWindowRepository(dataSource);
    await windows.askForBatch('messenger', ['psid-203']);
    await windows.open('messenger', 'psid-203', new Date());
    expect(await windows.isOpen('messenger', 'psid-203')).toBe(true);
  });
});
