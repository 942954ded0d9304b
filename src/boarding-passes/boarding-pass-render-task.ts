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

/**
 * A rendered pass made ready to cross back from a render thread: each of its byte arrays copied into an
 * ArrayBuffer of its own and moved, not cloned. Why: a Buffer under half of Buffer.poolSize is a slice of a
 * shared pool (64 KB since Node.js 24.x, nodejs/node#63597), and a message copies a view's whole ArrayBuffer, so
 * a 15 KB PDF crossed as 64 KB, every pass, onto the event loop's heap (docs/decisions/0063). A pool itself must
 * never be moved: that would empty every other Buffer cut from it.
 */
export function movablePass(bcbp: string, qrPng: Uint8Array, pdf: Uint8Array): RenderedPass {
  const own: RenderedPass = { bcbp, qrPng: new Uint8Array(qrPng), pdf: new Uint8Array(pdf) };
  const transferable = {
    get [transferableSymbol]() {
      return [own.qrPng.buffer, own.pdf.buffer];
    },
    get [valueSymbol]() {
      return own;
    },
  };
  // Piscina unwraps the moved object on its way out; the pool's side receives `own`, its buffers transferred.
  return move(transferable) as unknown as RenderedPass;
}
