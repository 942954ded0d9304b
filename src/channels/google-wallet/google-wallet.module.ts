import { Module } from '@nestjs/common';
import { PushModule } from '../push/push.module';
import { GoogleWalletRepository } from './google-wallet.repository';
import { GoogleWalletService } from './google-wallet.service';

/**
 * Google Wallet boarding passes (docs/decisions/0032): save links, and the PATCHes that keep saved passes current.
 * Its access token lives in provider_tokens through the push channel's SharedTokens.
 */
@Module({
  imports: [PushModule],
  providers: [GoogleWalletRepository, GoogleWalletService],
  exports: [GoogleWalletService],
})
export class GoogleWalletModule {}
