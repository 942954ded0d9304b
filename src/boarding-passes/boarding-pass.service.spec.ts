import { Test } from '@nestjs/testing';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBcbp } from './bcbp-decoder';
import { verifyBcbpSignature } from './bcbp-signature';
import { benchmarkBoardingPasses } from './bench-boarding-pass';
import { BoardingPassService } from './boarding-pass.service';
import { sampleBoardingPassData, sampleBoardingPassView } from './boarding-pass.sample';
import { BoardingPassesModule } from './boarding-passes.module';
import { LABEL_NAMES } from './boarding-pass-labels';
import { BCBP_SIGNING_KEY, CATALOGS_DIR } from '../config/config.tokens';

const keys = generateKeyPairSync('ec', {
  namedCurve: 'prime256v1',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

async function service(imports: Parameters<typeof Test.createTestingModule>[0]): Promise<BoardingPassService> {
  const moduleRef = await Test.createTestingModule(imports).compile();
  return moduleRef.get(BoardingPassService);
}

describe('BoardingPassService', () => {
  it('builds an unsigned pass when no key is configured', async () => {
    const svc = await service({ imports: [BoardingPassesModule] });
    const { bcbp, qrPng, pdf } = await svc.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'nl-NL');
    expect(decodeBcbp(bcbp).security).toBeUndefined();
    expect(decodeBcbp(bcbp).legs[0].flightNumber).toBe('1234');
    expect(qrPng.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('signs with the key given to register()', async () => {
    const svc = await service({ imports: [BoardingPassesModule.register({ signingKey: keys.privateKey })] });
    const { bcbp } = await svc.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'en');
    expect(verifyBcbpSignature(bcbp, keys.publicKey)).toBe(true);
  });

  it('takes BCBP_SIGNING_KEY from the injector, and register() without a key signs nothing', async () => {
    const svc = await service({
      providers: [BoardingPassService, { provide: BCBP_SIGNING_KEY, useValue: keys.privateKey }],
    });
    expect(verifyBcbpSignature((await svc.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'en')).bcbp, keys.publicKey)).toBe(true);
    const plain = await service({ imports: [BoardingPassesModule.register({})] });
    expect((await plain.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'en')).bcbp).not.toContain('^');
  });

  it('fails at start-up on a key that cannot sign BCBP', async () => {
    await expect(service({ imports: [BoardingPassesModule.register({ signingKey: keys.publicKey })] })).rejects.toThrow();
  });

  it('reads the labels from CATALOGS_DIR and refuses to start when a catalog there lacks one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-service-'));
    try {
      mkdirSync(join(dir, 'en'));
      const labels = Object.fromEntries(LABEL_NAMES.filter((n) => n !== 'seat').map((n) => [`label.${n}`, n]));
      writeFileSync(join(dir, 'en', 'boarding-pass.json'), JSON.stringify(labels));
      await expect(service({ providers: [BoardingPassService, { provide: CATALOGS_DIR, useValue: dir }] })).rejects.toThrow(
        'en/boarding-pass.json: key label.seat missing',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dates the PDF from the issuance when the view does not, so retries give the same bytes', async () => {
    const svc = await service({ imports: [BoardingPassesModule] });
    const view = { ...sampleBoardingPassView(), issuedAt: undefined };
    const first = await svc.buildArtifacts(sampleBoardingPassData(), view, 'nl');
    const again = await svc.buildArtifacts(sampleBoardingPassData(), view, 'nl');
    expect(first.pdf.equals(again.pdf)).toBe(true);
    expect(first.pdf.toString('latin1')).toContain('(D:20260313000000Z)');
  });
});

describe('benchmarkBoardingPasses', () => {
  it('runs and reports a rate (no timing assertion: the benchmark harness judges speed)', async () => {
    const { perSecond } = await benchmarkBoardingPasses(5);
    expect(perSecond).toBeGreaterThan(0);
  });
});
