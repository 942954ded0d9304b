import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { NotificationStoreModule } from './notification-store.module';
import { AFTER_PERMANENT_FAILURE, type PermanentFailureHook } from './permanent-failure';
import { ProviderStatusService } from './provider-status.service';

/**
 * ProviderStatusService for the provider webhooks. What runs after a permanent failure lives in a module above
 * this one (delivery's fallback), so the app wires it in: `forRoot({ imports: [DeliveryModule], afterPermanentFailure:
 * FallbackService })`. Global, like configuration, because a dynamic module is one instance per app: each channel
 * module sees the one the app wired.
 */
@Module({})
export class ProviderStatusModule {
  static forRoot(wiring: { imports: ModuleMetadata['imports']; afterPermanentFailure: Type<PermanentFailureHook> }): DynamicModule {
    return {
      module: ProviderStatusModule,
      global: true,
      imports: [NotificationStoreModule, ...(wiring.imports ?? [])],
      providers: [ProviderStatusService, { provide: AFTER_PERMANENT_FAILURE, useExisting: wiring.afterPermanentFailure }],
      exports: [ProviderStatusService],
    };
  }
}
