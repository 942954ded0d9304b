import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { isAlive as running, PrivateServers } from '../support/private-servers';

jest.setTimeout(180_000);

async function pgAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  return client
    .connect()
    .then(() => client.query('SELECT 1'))
    .then(() => true)
    .catch(() => false)
    .finally(() => client.end().catch(() => undefined));
}

async function brokerAnswers(url: string): Promise<boolean> {
  return amqplib
    .connect(url, { timeout: 5_000 })
    .then((c) => c.close().then(() => true))
    .catch(() => false);
}

const pidIn = (file: string) => Number(readFileSync(file, 'utf8').split('\n')[0].trim());

/** The launcher the fault suite stands on: its own servers, which it can stop and restart, and which leave nothing behind. */
describe('private PostgreSQL and RabbitMQ servers', () => {
  const started: PrivateServers[] = [];
  afterAll(async () => {
    for (const servers of started) await servers.stop();
  });

  it('runs its own servers, restarts them, and removes them (also those a killed run left behind)', async () => {
    const first = await PrivateServers.start({ label: 'notifier-launcher' });
    started.push(first);
    const { postgres, rabbitmq, baseDir } = first.description;
    expect(postgres.port).not.toBe(5432);
    expect(rabbitmq.port).not.toBe(5672);
    expect(rabbitmq.nodeName).toMatch(/^notifier-launcher-\d+-[0-9a-f]{4}@localhost$/);
    expect(await pgAnswers(first.postgres.url())).toBe(true);
    expect(await brokerAnswers(first.rabbitmq.url)).toBe(true);
    expect(first.rabbitmq.ctl(['eval', 'node().']).trim()).toBe(`'${rabbitmq.nodeName}'`);
    const postmaster = pidIn(join(postgres.dataDir, 'postmaster.pid'));
    const beam = pidIn(join(rabbitmq.dir, 'rabbitmq.pid'));

    // A run that was SIGKILLed cannot stop its servers: the next start does.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(baseDir, 'owner.pid'), dead.stdout);
    const second = await PrivateServers.start({ label: 'notifier-launcher' });
    started.push(second);
    expect(existsSync(baseDir)).toBe(false);
    expect(running(postmaster)).toBe(false);
    expect(running(beam)).toBe(false);
    expect(await pgAnswers(first.postgres.url())).toBe(false);

    // What the fault suite does to them.
    const before = await second.postgres.startedAt();
    second.postgres.restart();
    expect((await second.postgres.startedAt()).getTime()).toBeGreaterThan(before.getTime());
    second.rabbitmq.stopApp();
    expect(await brokerAnswers(second.rabbitmq.url)).toBe(false);
    second.rabbitmq.startApp();
    expect(await brokerAnswers(second.rabbitmq.url)).toBe(true);

    const secondPostmaster = pidIn(join(second.description.postgres.dataDir, 'postmaster.pid'));
    const secondBeam = pidIn(join(second.description.rabbitmq.dir, 'rabbitmq.pid'));
    await second.stop();
    expect(existsSync(second.description.baseDir)).toBe(false);
    expect(running(secondPostmaster)).toBe(false);
    expect(running(secondBeam)).toBe(false);
  });
});
