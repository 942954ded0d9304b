import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BoardingPassData } from './bcbp-types';
import type { BoardingPassView } from './boarding-pass-view';

/** What a render thread is given once, when it starts. */
export interface RenderThreadSetup {
  signingKeyPem?: string;
  catalogsDir?: string;
}

/** One pass to render. */
export interface RenderTask {
  data: BoardingPassData;
  view: BoardingPassView;
  locale: string;
}

/** A rendered pass as it reaches the event loop's thread: the bytes arrive as plain Uint8Arrays. */
export interface RenderedPass {
  bcbp: string;
  qrPng: Uint8Array;
  pdf: Uint8Array;
}

/** What a render thread returns: a rendered pass wrapped for Piscina to move, which the pool receives as a RenderedPass. */
export type MovablePass = ReturnType<typeof move>;

/**
 * A rendered pass made ready to cross back from a render thread: each of its byte arrays copied into an
 * ArrayBuffer of its own and moved, not cloned. Why: a Buffer under half of Buffer.poolSize is a slice of a
 * shared pool (64 KB on the Node.js 24 we run, 8 KB before nodejs/node#63597), and a message copies a view's whole
 * ArrayBuffer, so a 15 KB PDF crossed as a 64 KB pool, every pass, onto the event loop's heap (docs/decisions/0063).
 * Moving the Buffers as they are is no way out: Node.js refuses to move its pool (DataCloneError).
 */
export function movablePass(bcbp: string, qrPng: Uint8Array, pdf: Uint8Array): MovablePass {
  const own: RenderedPass = { bcbp, qrPng: new Uint8Array(qrPng), pdf: new Uint8Array(pdf) };
  return move({
    get [transferableSymbol]() {
      return [own.qrPng.buffer, own.pdf.buffer];
    },
    get [valueSymbol]() {
      return own;
    },
  });
}
