import type { PassengerRecord } from '../vocabulary/booking-records';
import { NotificationPlanner, reachableChannels } from './notification-planner.service';

const event = { source: '/flight-ops', id: 'evt-1' };

function passenger(overrides: Partial<PassengerRecord> = {}): PassengerRecord {
  return {
    bookingReference: 'X7K2QP',
    passengerId: 'PAX-1',
    givenName: 'Luc',
    surname: 'Desmarais',
    locale: 'nl-NL',
    contacts: { whatsapp: '+31612345678', sms: '+31612345678', email: 'luc@example.com' },
    consents: [
      { channel: 'email', granted: true },
      { channel: 'whatsapp', granted: true },
      { channel: 'sms', granted: false },
    ],
    ...overrides,
  };
}

describe('reachableChannels', () => {
  it('keeps granted channels with a contact, in preference order', () => {
    expect(reachableChannels(passenger()).map((c) => c.channel)).toEqual(['email', 'whatsapp']);
  });

  it('skips a granted channel without a contact', () => {
    const p = passenger({ contacts: { sms: '+31612345678' }, consents: [{ channel: 'whatsapp', granted: true }, { channel: 'sms', granted: true }] });
    expect(reachableChannels(p)).toEqual([{ channel: 'sms', recipient: '+31612345678' }]);
  });

  it('gives nothing to a passenger who opted out of everything', () => {
    const p = passenger({ consents: [{ channel: 'email', granted: false }] });
    expect(reachableChannels(p)).toEqual([]);
  });
});

describe('NotificationPlanner', () => {
  const facts = { reason: 'storm' };

  it('plans one notification per reachable channel with distinct dedupe keys', () => {
    const plans = new NotificationPlanner({ FIRST_CHANNEL_ONLY_TYPES: [] }).plan('flight-cancellation', event, passenger(), facts, 'KL1234-2026-12-01');
    expect(plans.map((p) => p.channel)).toEqual(['email', 'whatsapp']);
    expect(new Set(plans.map((p) => p.dedupeKey)).size).toBe(2);
    expect(plans[0]).toMatchObject({ recipient: 'luc@example.com', locale: 'nl-NL', flightKey: 'KL1234-2026-12-01' });
    expect(plans[0].context).toMatchObject({ type: 'flight-cancellation', reason: 'storm', booking: { reference: 'X7K2QP' } });
  });

  it('uses only the most preferred channel for types configured so', () => {
    const planner = new NotificationPlanner({ FIRST_CHANNEL_ONLY_TYPES: ['flight-delay'] });
    expect(planner.plan('flight-delay', event, passenger(), facts).map((p) => p.channel)).toEqual(['email']);
    expect(planner.plan('gate-change', event, passenger(), facts)).toHaveLength(2);
  });

  it('plans Messenger and WeChat like any channel: preference order, contact as recipient, first-channel-only', () => {
    const p = passenger({
      contacts: { messenger: '25381719828140932', wechat: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', email: 'li.qiang@example.com' },
      consents: [
        { channel: 'wechat', granted: true },
        { channel: 'email', granted: false },
        { channel: 'messenger', granted: true },
      ],
    });
    const all = new NotificationPlanner({ FIRST_CHANNEL_ONLY_TYPES: [] }).plan('gate-change', event, p, facts);
    expect(all.map((n) => [n.channel, n.recipient])).toEqual([
      ['wechat', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o'],
      ['messenger', '25381719828140932'],
    ]);
    expect(new NotificationPlanner({ FIRST_CHANNEL_ONLY_TYPES: ['gate-change'] }).plan('gate-change', event, p, facts).map((n) => n.channel)).toEqual(['wechat']);
  });

  it('gives the same keys when the same event is planned again', () => {
    const planner = new NotificationPlanner({ FIRST_CHANNEL_ONLY_TYPES: [] });
    const first = planner.plan('gate-change', event, passenger(), facts).map((p) => p.dedupeKey);
    const again = planner.plan('gate-change', event, passenger(), facts).map((p) => p.dedupeKey);
    expect(again).toEqual(first);
    const otherEvent = planner.plan('gate-change', { ...event, id: 'evt-2' }, passenger(), facts).map((p) => p.dedupeKey);
    expect(otherEvent).not.toEqual(first);
  });

  it('forwards the facts to subscribed partners by webhook, whatever the passenger consented to', () => {
    const planner = new NotificationPlanner({
      FIRST_CHANNEL_ONLY_TYPES: [],
      PARTNER_WEBHOOKS: [
        { name: 'crm', url: 'http://127.0.0.1:9/crm', secret: '0123456789abcdef' },
        { name: 'agent', url: 'http://127.0.0.1:9/agent', secret: '0123456789abcdef', types: ['flight-cancellation'] },
      ],
    });
    const optedOut = passenger({ consents: [] });
    const cancel = planner.plan('flight-cancellation', event, optedOut, facts);
    expect(cancel.map((p) => `${p.channel}:${p.recipient}`)).toEqual(['webhook:crm', 'webhook:agent']);
    expect(new Set(cancel.map((p) => p.dedupeKey)).size).toBe(2);
    expect(planner.plan('gate-change', event, optedOut, facts).map((p) => p.recipient)).toEqual(['crm']);
  });
});
