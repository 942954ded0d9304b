import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, APP_CONFIG_KEYS, AppConfig, loadConfig } from './app-config';
import {
  APP_LEVEL_KEYS,
  CONFIG_SLICES,
  DISPATCH_CONFIG,
  DispatchConfig,
  InjectConfig,
  OPS_CONFIG,
  OpsConfig,
  pickSlice,
  WHATSAPP_CONFIG,
} from './config-slices';
import { ConfigModule } from './config.module';

@Injectable()
class TakesTwoSlices {
  constructor(
    @InjectConfig(DISPATCH_CONFIG) readonly dispatch: DispatchConfig,
    @InjectConfig(OPS_CONFIG) readonly ops: OpsConfig,
  ) {}
}

const config: AppConfig = loadConfig({
  DISPATCH_LOOPS: '3',
  BULK_CONFIRM_ABOVE: '7',
  CHANNEL_WHATSAPP: 'whatsapp-cloud',
  WHATSAPP_PHONE_NUMBER_ID: '123456',
  WHATSAPP_ACCESS_TOKEN: 'access-token',
  WHATSAPP_APP_SECRET: 'app-secret',
  WHATSAPP_VERIFY_TOKEN: 'verify-token',
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('config slices', () => {
  it('name only keys AppConfig has, and each token once', () => {
    for (const slice of CONFIG_SLICES) {
      expect(slice.keys.filter((key) => !APP_CONFIG_KEYS.includes(key))).toEqual([]);
      expect(new Set(slice.keys).size).toBe(slice.keys.length);
    }
    expect(new Set(CONFIG_SLICES.map((slice) => slice.token)).size).toBe(CONFIG_SLICES.length);
  });

  it('cover every key of AppConfig, apart from the few only the app itself reads', () => {
    const inSlices = new Set(CONFIG_SLICES.flatMap((slice) => slice.keys));
    expect(APP_CONFIG_KEYS.filter((key) => !inSlices.has(key) && !APP_LEVEL_KEYS.includes(key))).toEqual([]);
    // An app-level key that a slice also carries should not be on the app's list.
    expect(APP_LEVEL_KEYS.filter((key) => inSlices.has(key))).toEqual([]);
  });

  it('are provided by ConfigModule with exactly their keys, from the one parsed config', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config)], providers: [TakesTwoSlices] }).compile();
    for (const slice of CONFIG_SLICES) {
      const provided = moduleRef.get<Record<string, unknown>>(slice.token);
      expect(Object.keys(provided).sort()).toEqual([...slice.keys].sort());
      expect(provided).toEqual(pickSlice(config, slice));
    }
    const consumer = moduleRef.get(TakesTwoSlices);
    expect(consumer.dispatch.DISPATCH_LOOPS).toBe(3);
    expect(consumer.ops.BULK_CONFIRM_ABOVE).toBe(7);
    expect(consumer.dispatch).not.toHaveProperty('BULK_CONFIRM_ABOVE');
    expect(moduleRef.get(WHATSAPP_CONFIG.token)).toMatchObject({ WHATSAPP_ACCESS_TOKEN: 'access-token' });
    expect(moduleRef.get(OPS_CONFIG.token)).not.toHaveProperty('WHATSAPP_ACCESS_TOKEN');
    // The whole object stays available for the app's own wiring and tests.
    expect(moduleRef.get(APP_CONFIG)).toBe(config);
    await moduleRef.close();
  });

  it('are what modules inject: nothing outside src/config injects the whole APP_CONFIG', () => {
    const src = join(__dirname, '..');
    const files = sourceFiles(src).filter((file) => !file.startsWith(__dirname) && !file.endsWith('.spec.ts'));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => /\bAPP_CONFIG\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(src, file));
    expect(offenders).toEqual([]);
  });
});
