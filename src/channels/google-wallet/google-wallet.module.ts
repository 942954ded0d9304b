import { Module } from '@nestjs/common';
import { FlightsModule } from '../../flights/flights.module';
import { PushModule } from '../push/push.module';
import { GoogleWalletRepository } from './google-wallet.repository';
import { GoogleWalletService } from './google-wallet.service';

/**
 * Google Wallet boarding passes (docs/decisions/0032): save links, and the PATCHes that keep saved passes current.
 * Its access token lives in provider_tokens through the push channel's SharedTokens.
 */
@Module({
  imports: [PushModule, FlightsModule],
  providers: [GoogleWalletRepository, GoogleWalletService],
  exports: [GoogleWalletService],
})
export class GoogleWalletModule {}
