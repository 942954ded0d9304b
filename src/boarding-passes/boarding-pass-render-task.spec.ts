import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import { transferableSymbol, valueSymbol } from 'piscina';
import { movablePass, type MovablePass, type RenderedPass } from './boarding-pass-render-task';

/** What Piscina does with a moved answer: sends its value with its transferables in the transfer list. */
async function sendAsPiscinaDoes(moved: MovablePass): Promise<RenderedPass> {
  const wrapped = moved as unknown as Record<symbol, unknown>;
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<RenderedPass>((resolve) => port2.once('message', resolve));
  try {
    port1.postMessage(wrapped[valueSymbol], wrapped[transferableSymbol] as TransferListItem[]);
    return await received;
  } finally {
    port1.close();
    port2.close();
  }
}

describe('movablePass', () => {
  it('moves copies of pooled Buffers, leaving the pool they were cut from intact', async () => {
    const qrPng = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const pdf = Buffer.from('%PDF-1.3 …');
    // The premise: small Buffers are slices of Node's shared pool, which other Buffers use too.
    expect([qrPng.buffer.byteLength, pdf.buffer.byteLength]).toEqual([Buffer.poolSize, Buffer.poolSize]);

    const arrived = await sendAsPiscinaDoes(movablePass('M1TEST', qrPng, pdf));

    expect(arrived.bcbp).toBe('M1TEST');
    expect(Buffer.from(arrived.qrPng)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(Buffer.from(arrived.pdf).toString()).toBe('%PDF-1.3 …');
    // Only the bytes crossed, not the pool they were cut from…
    expect([arrived.qrPng.buffer.byteLength, arrived.pdf.buffer.byteLength]).toEqual([qrPng.length, pdf.length]);
    // …and the pool was not moved (Node.js refuses to: DataCloneError), so every Buffer cut from it still reads.
    expect([qrPng.buffer.byteLength, pdf.buffer.byteLength]).toEqual([Buffer.poolSize, Buffer.poolSize]);
    expect(pdf.toString()).toBe('%PDF-1.3 …');
  });
});
