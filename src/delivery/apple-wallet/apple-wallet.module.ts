import { Module } from '@nestjs/common';
import { BoardingPassesModule } from '../../boarding-passes/boarding-passes.module';
import { PushModule } from '../../channels/push/push.module';
import { FlightsModule } from '../../flights/flights.module';
import { AppleWalletPasses } from './apple-wallet-passes.service';
import { AppleWalletPusher } from './apple-wallet-pusher.service';
import { AppleWalletRepository } from './apple-wallet.repository';
import { AppleWalletWebController } from './apple-wallet-web.controller';
import { AppleWalletDownloadController } from './apple-wallet-download.controller';

/**
 * Apple Wallet boarding passes (docs/decisions/0031): the passes and their devices, the pass web service under
 * /wallet/apple/v1, the e-mail's download link under /wallet/apple/passes (0034), and the pushes that tell devices a pass changed. Inert without APPLE_WALLET_* (every route
 * answers 401 or 204, nothing is pushed).
 */
@Module({
  imports: [BoardingPassesModule, FlightsModule, PushModule],
  controllers: [AppleWalletWebController, AppleWalletDownloadController],
  providers: [AppleWalletRepository, AppleWalletPasses, AppleWalletPusher],
  exports: [AppleWalletPasses],
})
export class AppleWalletModule {}
