import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { AppConfig } from '../config/app-config';
import { CHANNELS_CONFIG, pickSlice } from '../config/config-slices';
import type { ChannelAdapter, SendResult } from './channel-adapter';
import { ChannelProvider } from './channel-provider.decorator';
import { ChannelRegistry } from './channel-registry.service';
import { SandboxAdapter } from './sandbox/sandbox.adapter';

/** Local adapters: what is tested is which one the registry picks, not what they send. */
abstract class LocalAdapter implements ChannelAdapter {
  readonly name = 'local';
  send(): Promise<SendResult> {
    return Promise.resolve({ outcome: 'delivered', providerMessageId: this.constructor.name });
  }
}

@ChannelProvider({ channel: 'sms', enabled: (config) => config.CHANNEL_SMS === 'twilio' })
@Injectable()
class SmsProvider extends LocalAdapter {}

@ChannelProvider({ channel: 'whatsapp', enabled: (config) => config.CHANNEL_WHATSAPP === 'whatsapp-cloud' })
@Injectable()
class WhatsAppProvider extends LocalAdapter {}

@ChannelProvider({ channel: 'sms', enabled: () => true })
@Injectable()
class SecondSmsProvider extends LocalAdapter {}

@Module({ providers: [SmsProvider, WhatsAppProvider] })
class ProvidersModule {}

@Module({ providers: [SecondSmsProvider] })
class SecondSmsModule {}

const config = (values: Partial<AppConfig>) => ({ OUTBOX_DIR: 'var/outbox-registry-spec', ...values }) as AppConfig;

async function registryWith(values: Partial<AppConfig>, ...modules: (typeof ProvidersModule)[]): Promise<ChannelRegistry> {
  const ref = await Test.createTestingModule({
    imports: [DiscoveryModule, ...modules],
    providers: [ChannelRegistry, { provide: CHANNELS_CONFIG.token, useValue: pickSlice(config(values), CHANNELS_CONFIG) }],
  }).compile();
  await ref.init();
  return ref.get(ChannelRegistry);
}

describe('ChannelRegistry: each provider adapter found once, from its own module', () => {
  it('puts each enabled provider on its channel and leaves the sandbox elsewhere', async () => {
    const registry = await registryWith({ CHANNEL_SMS: 'twilio', CHANNEL_WHATSAPP: 'sandbox' } as Partial<AppConfig>, ProvidersModule);
    expect(registry.adapterFor('sms')).toBeInstanceOf(SmsProvider);
    expect(registry.adapterFor('whatsapp')).toBeInstanceOf(SandboxAdapter);
    expect(registry.adapterFor('email')).toBeInstanceOf(SandboxAdapter);
  });

  it('refuses to start with two enabled providers for one channel', async () => {
    await expect(registryWith({ CHANNEL_SMS: 'twilio' } as Partial<AppConfig>, ProvidersModule, SecondSmsModule)).rejects.toThrow(
      'two providers for the sms channel: SmsProvider and SecondSmsProvider',
    );
  });
});
