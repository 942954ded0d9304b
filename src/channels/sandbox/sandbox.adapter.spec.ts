import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboundMessage } from '../channel-adapter';
import type { RenderContext } from '../../rendering/render-context';
import { SandboxAdapter } from './sandbox.adapter';

function message(id: string, channel: OutboundMessage['channel'] = 'whatsapp'): OutboundMessage {
  return {
    notificationId: id,
    type: 'flight-cancellation',
    channel,
    recipient: '+31612345678',
    locale: 'nl',
    content: channel === 'email' ? { locale: 'nl', subject: 'KL1234', text: `tekst ${id}`, html: `<p>${id}</p>` } : { locale: 'nl', text: `tekst ${id}` },
    context: {} as RenderContext,
    attachments: [],
    correlationId: `test#${id}`,
  };
}

describe('SandboxAdapter', () => {
  let outbox: string;
  beforeEach(() => (outbox = mkdtempSync(join(tmpdir(), 'sandbox-outbox-'))));
  afterEach(() => rmSync(outbox, { recursive: true, force: true }));

  it('writes every message of a burst sent in one turn, each to its own folder', async () => {
    const adapter = new SandboxAdapter(outbox);
    const ids = Array.from({ length: 120 }, (_, i) => `n-${i}`);
    const results = await Promise.all(ids.map((id) => adapter.send(message(id, id.endsWith('7') ? 'email' : 'whatsapp'))));
    expect(results.every((r) => r.outcome === 'delivered')).toBe(true);
    for (const id of ids) {
      const channel = id.endsWith('7') ? 'email' : 'whatsapp';
      const written = JSON.parse(readFileSync(join(outbox, channel, id, 'message.json'), 'utf8'));
      expect(written).toMatchObject({ notificationId: id, text: `tekst ${id}`, to: '+31612345678' });
      expect(readFileSync(join(outbox, channel, id, 'message.txt'), 'utf8')).toBe(`tekst ${id}`);
    }
    expect(readFileSync(join(outbox, 'email', 'n-7', 'message.html'), 'utf8')).toBe('<p>n-7</p>');
  });

  it('fails only the message that cannot be written', async () => {
    const adapter = new SandboxAdapter(outbox);
    await adapter.send(message('first'));
    writeFileSync(join(outbox, 'whatsapp', 'blocked'), 'a file where the folder should be');
    const [ok, blocked] = await Promise.allSettled([adapter.send(message('fine')), adapter.send(message('blocked'))]);
    expect(ok.status).toBe('fulfilled');
    expect(blocked.status).toBe('rejected');
    expect(readFileSync(join(outbox, 'whatsapp', 'fine', 'message.txt'), 'utf8')).toBe('tekst fine');
  });
});
