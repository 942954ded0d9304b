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
