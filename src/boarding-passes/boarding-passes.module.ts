import { DynamicModule, Module } from '@nestjs/common';
import { BoardingPassService } from './boarding-pass.service';
import { RenderThreadMetrics } from './render-thread-metrics';
import { BCBP_SIGNING_KEY } from '../config/config.tokens';

/**
 * Boarding pass artefacts: BCBP string, QR PNG and PDF. Imported as is, BoardingPassService takes
 * BCBP_SIGNING_KEY from wherever it is provided (e.g. a global config module) and signs nothing when
 * it is not; register() supplies the key here instead.
 */
@Module({
  providers: [BoardingPassService, RenderThreadMetrics],
  exports: [BoardingPassService],
})
export class BoardingPassesModule {
  static register(options: { signingKey?: string }): DynamicModule {
    return {
      module: BoardingPassesModule,
      // A factory because Nest rejects `useValue: undefined`.
      providers: [{ provide: BCBP_SIGNING_KEY, useFactory: () => options.signingKey }],
    };
  }
}
