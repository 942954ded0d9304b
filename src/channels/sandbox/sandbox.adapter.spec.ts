import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboundMessage } from '../channel-adapter';
import type { RenderContext } from '../../vocabulary/render-context';
import { outboxWriterHeapLimits, SandboxAdapter, WRITER_THREAD_HEAP } from './sandbox.adapter';

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

  // First in the file: the writer thread is shared by the process, and a send in an earlier test would start it.
  it('starts its writer thread when prepared, before the first message, without keeping the process alive', () => {
    const adapter = new SandboxAdapter(outbox);
    const refedPorts = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const before = refedPorts();
    expect(outboxWriterHeapLimits()).toBeUndefined();
    adapter.prepare();
    expect(outboxWriterHeapLimits()).toMatchObject(WRITER_THREAD_HEAP);
    expect(refedPorts()).toBe(before);
  });

  it('writes every message of a burst sent in one turn, each to its own files named by its id', async () => {
    const adapter = new SandboxAdapter(outbox);
    const ids = Array.from({ length: 120 }, (_, i) => `n-${i}`);
    const results = await Promise.all(ids.map((id) => adapter.send(message(id, id.endsWith('7') ? 'email' : 'whatsapp'))));
    expect(results.every((r) => r.outcome === 'delivered')).toBe(true);
    for (const id of ids) {
      const channel = id.endsWith('7') ? 'email' : 'whatsapp';
      const written = JSON.parse(readFileSync(join(outbox, channel, `${id}.json`), 'utf8'));
      expect(written).toMatchObject({ notificationId: id, text: `tekst ${id}`, to: '+31612345678' });
    }
    expect(JSON.parse(readFileSync(join(outbox, 'email', 'n-7.json'), 'utf8')).html).toBe('n-7.html');
    expect(readFileSync(join(outbox, 'email', 'n-7.html'), 'utf8')).toBe('<p>n-7</p>');
    expect(readdirSync(join(outbox, 'whatsapp'))).toHaveLength(ids.length - 12);
  });

  it('writes on a thread whose heap is capped, not sized by V8 for the whole machine', async () => {
    await new SandboxAdapter(outbox).send(message('capped'));
    expect(outboxWriterHeapLimits()).toMatchObject(WRITER_THREAD_HEAP);
  });

  it('writes attachments beside the message and lists them in it', async () => {
    const adapter = new SandboxAdapter(outbox);
    const pdf = Buffer.from('%PDF-1.7 test');
    await adapter.send({ ...message('bp', 'email'), attachments: [{ name: 'boarding-pass.pdf', contentType: 'application/pdf', content: pdf }] });
    expect(readFileSync(join(outbox, 'email', 'bp.boarding-pass.pdf'))).toEqual(pdf);
    const written = JSON.parse(readFileSync(join(outbox, 'email', 'bp.json'), 'utf8'));
    expect(written.attachments).toEqual([{ name: 'boarding-pass.pdf', contentType: 'application/pdf', bytes: pdf.length, file: 'bp.boarding-pass.pdf' }]);
  });

  it('fails only the message that cannot be written, as a retryable failure on our side with its cause', async () => {
    const adapter = new SandboxAdapter(outbox);
    await adapter.send(message('first'));
    mkdirSync(join(outbox, 'whatsapp', 'blocked.json')); // a folder where the file should be
    const [fine, blocked] = await Promise.all([adapter.send(message('fine')), adapter.send(message('blocked'))]);
    expect(fine.outcome).toBe('delivered');
    expect(blocked).toMatchObject({ outcome: 'retryable', code: 'outbox-write-failed', local: true, message: expect.stringContaining('EISDIR') });
    expect(JSON.parse(readFileSync(join(outbox, 'whatsapp', 'fine.json'), 'utf8')).text).toBe('tekst fine');
  });

  it('reports why when the outbox folder cannot be made (a file where a folder should be)', async () => {
    writeFileSync(join(outbox, 'not-a-folder'), '');
    const adapter = new SandboxAdapter(join(outbox, 'not-a-folder', 'outbox'));
    expect(await adapter.send(message('nowhere'))).toMatchObject({
      outcome: 'retryable',
      local: true,
      message: expect.stringMatching(/^ENOTDIR: .*not-a-folder/),
    });
  });
});
