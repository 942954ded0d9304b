import { Inject, Injectable, Optional } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { encodeBcbp } from './bcbp-encoder';
import { bcbpQrPng } from './bcbp-qr';
import { loadBcbpSigningKey, signBcbp } from './bcbp-signature';
import type { BoardingPassData } from './bcbp-types';
import { boardingPassCatalogs } from './boarding-pass-labels';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import type { BoardingPassView } from './boarding-pass-view';
import { BCBP_SIGNING_KEY, CATALOGS_DIR } from '../config/config.tokens';

export interface BoardingPassArtifacts {
  /** The bar code content, signed when a key is configured. */
  bcbp: string;
  /** QR code of `bcbp`, for channels that send an image. */
  qrPng: Buffer;
  /** One page per entry of view.pages, each with the QR of `bcbp` unless the page brings its own. */
  pdf: Buffer;
}

@Injectable()
export class BoardingPassService {
  private readonly signingKey: KeyObject | undefined;
  private readonly catalogsDir: string;

  /** @param catalogsDir CATALOGS_DIR; where it is not provided, catalogs/ at the project root. */
  constructor(
    @Optional() @Inject(BCBP_SIGNING_KEY) signingKeyPem?: string,
    @Optional() @Inject(CATALOGS_DIR) catalogsDir?: string,
  ) {
    // Parsed and checked at start-up: a wrong key or a catalog missing a label stops the boot instead of
    // failing every pass.
    this.signingKey = signingKeyPem ? loadBcbpSigningKey(signingKeyPem) : undefined;
    this.catalogsDir = boardingPassCatalogs(catalogsDir).dir;
  }

  /** The bar code content alone, signed when a key is configured: for a wallet pass, which carries no PDF. */
  bcbp(data: BoardingPassData): string {
    const unsigned = encodeBcbp(data);
    return this.signingKey ? signBcbp(unsigned, this.signingKey) : unsigned;
  }

  /** The catalogs folder the labels come from (CATALOGS_DIR or catalogs/). */
  get catalogs(): string {
    return this.catalogsDir;
  }

  async buildArtifacts(data: BoardingPassData, view: BoardingPassView, locale: string): Promise<BoardingPassArtifacts> {
    const bcbp = this.bcbp(data);
    // The issuance date pins the PDF CreationDate, so a retry renders byte-identical output.
    const dated: BoardingPassView = { ...view, issuedAt: view.issuedAt ?? data.issuance.date };
    const [qrPng, pdf] = await Promise.all([bcbpQrPng(bcbp), renderBoardingPassPdf(dated, locale, bcbp, { catalogsDir: this.catalogsDir })]);
    return { bcbp, qrPng, pdf };
  }
}
