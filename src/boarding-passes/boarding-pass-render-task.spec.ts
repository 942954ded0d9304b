import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import { transferableSymbol, valueSymbol } from 'piscina';
import { movablePass, type MovablePass, type RenderedPass } from './boarding-pass-render-task';

/** What Piscina does with a moved answer: sends its value with its transferables in the transfer list. */
async function sendAsPiscinaDoes(moved: MovablePass): Promise<RenderedPass> {
  const wrapped = moved as unknown as Record<symbol, unknown>;
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<RenderedPass>((resolve) => port2.once('message', resolve));
  port1.postMessage(wrapped[valueSymbol], wrapped[transferableSymbol] as TransferListItem[]);
  try {
    return await received;
  } finally {
    port1.close();
  }
}

describe('movablePass', () => {
  it('moves copies of pooled Buffers, leaving the pool and every other slice of it intact', async () => {
    const neighbour = Buffer.from('a slice of the same pool');
    const qrPng = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const pdf = Buffer.from('%PDF-1.3 …');
    expect(qrPng.buffer).toBe(neighbour.buffer); // the premise: small Buffers share Node's pool

    const arrived = await sendAsPiscinaDoes(movablePass('M1TEST', qrPng, pdf));

    expect(arrived.bcbp).toBe('M1TEST');
    expect(Buffer.from(arrived.qrPng)).toEqual(qrPng);
    expect(Buffer.from(arrived.pdf)).toEqual(pdf);
    // Only the bytes crossed, not the pool they were cut from.
    expect([arrived.qrPng.buffer.byteLength, arrived.pdf.buffer.byteLength]).toEqual([qrPng.length, pdf.length]);
    expect(neighbour.toString()).toBe('a slice of the same pool');
    expect(qrPng.buffer.byteLength).toBe(Buffer.poolSize);
  });
});
