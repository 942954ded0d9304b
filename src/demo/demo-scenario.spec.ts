import { EventValidator } from '../events/event-validator';
import { demoScenario } from './demo-scenario';

describe('demoScenario', () => {
  const steps = demoScenario();

  it('publishes valid events but the one meant to be parked', () => {
    const validator = new EventValidator({ maxBytes: 64 * 1024 });
    const outcomes = steps.map((s) => validator.validate(Buffer.isBuffer(s.body) ? s.body : Buffer.from(JSON.stringify(s.body)), s.routingKey).ok);
    expect(outcomes.filter((ok) => !ok)).toHaveLength(1);
    expect(outcomes[outcomes.length - 1]).toBe(false);
  });

  it('has one passenger reached on Messenger and one on WeChat (through the sandbox)', () => {
    const passengers = steps.flatMap((s) => (Buffer.isBuffer(s.body) ? [] : ((s.body.data as { passengers?: { consents: { channel: string; granted: boolean }[]; contacts: Record<string, string> }[] }).passengers ?? [])));
    const on = (channel: string) => passengers.filter((p) => p.consents.some((c) => c.channel === channel && c.granted) && p.contacts[channel]);
    expect(on('messenger')).toHaveLength(1);
    expect(on('wechat')).toHaveLength(1);
  });
});
