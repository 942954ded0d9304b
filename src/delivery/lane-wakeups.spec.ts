import { LaneWakeups } from './lane-wakeups';

/** A lane's sleep, and whether it has ended. */
function track(sleep: Promise<void>) {
  const state = { woken: false };
  void sleep.then(() => (state.woken = true));
  return state;
}
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
/** The fake clock moves on `ms`, and whatever that woke has run. */
const after = async (ms: number) => {
  jest.advanceTimersByTime(ms);
  await settle();
};

describe('LaneWakeups', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes a sleeping lane 0 alone on a NOTIFY; the helpers sleep on', async () => {
    const wakeups = new LaneWakeups(['sms', 'email'], 100);
    const lead = track(wakeups.sleepLead('sms', 60_000));
    const helper = track(wakeups.sleep('sms', 60_000));
    const otherChannel = track(wakeups.sleepLead('email', 60_000));
    wakeups.notify(['sms']);
    await settle();
    expect([lead.woken, helper.woken, otherChannel.woken]).toEqual([true, false, false]);
    wakeups.stop();
  });

  it('leaves word for a busy lane 0: its next sleep ends at once', async () => {
    const wakeups = new LaneWakeups(['sms'], 100);
    wakeups.notify(['sms']);
    const lead = track(wakeups.sleepLead('sms', 60_000));
    await settle();
    expect(lead.woken).toBe(true);
    wakeups.stop();
  });

  it('wakes no helper when lane 0 takes the work within the time allowed', async () => {
    const wakeups = new LaneWakeups(['sms'], 100);
    const first = track(wakeups.sleepLead('sms', 60_000));
    wakeups.notify(['sms']); // lane 0 wakes and works
    const helper = track(wakeups.sleep('sms', 60_000));
    await settle();
    expect(first.woken).toBe(true);
    jest.advanceTimersByTime(30);
    wakeups.notify(['sms']); // more work while lane 0 is busy
    jest.advanceTimersByTime(40);
    await wakeups.sleepLead('sms', 60_000); // lane 0 done after 70 ms: it goes straight on with the new work
    await after(100);
    expect(helper.woken).toBe(false);
    wakeups.stop();
  });

  it('wakes one helper when lane 0 stays in its batch past the time allowed', async () => {
    const wakeups = new LaneWakeups(['sms'], 100);
    void wakeups.sleepLead('sms', 60_000);
    wakeups.notify(['sms']); // lane 0 wakes and works
    const helpers = [track(wakeups.sleep('sms', 60_000)), track(wakeups.sleep('sms', 60_000))];
    jest.advanceTimersByTime(60);
    wakeups.notify(['sms']);
    wakeups.notify(['sms']); // a second NOTIFY meanwhile asks for no second helper
    await after(39);
    expect(helpers.map((h) => h.woken)).toEqual([false, false]);
    await after(1); // 100 ms since lane 0 began its batch
    expect(helpers.filter((h) => h.woken)).toHaveLength(1);
    wakeups.stop();
  });

  it('helps lane 0 in its first batch too (it has never slept): the time allowed counts from the NOTIFY', async () => {
    const wakeups = new LaneWakeups(['sms'], 100);
    const helper = track(wakeups.sleep('sms', 60_000));
    wakeups.notify(['sms']);
    await after(99);
    expect(helper.woken).toBe(false);
    await after(1);
    expect(helper.woken).toBe(true);
    wakeups.stop();
  });

  it('wakes every lane on wake() and on stop(), and leaves no timer behind', async () => {
    const wakeups = new LaneWakeups(['sms'], 100);
    const lanes = [track(wakeups.sleepLead('sms', 60_000)), track(wakeups.sleep('sms', 60_000))];
    wakeups.wake(['sms']);
    await settle();
    expect(lanes.map((l) => l.woken)).toEqual([true, true]);
    wakeups.notify(['sms']); // lane 0 busy: a helper's wake-up is pending
    const late = track(wakeups.sleep('sms', 60_000));
    wakeups.stop();
    await settle();
    expect(late.woken).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
