import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWalletTestChain } from '../../../test/support/wallet-test-chain';
import { sampleFlight } from '../../rendering/render-context.sample';
import { boardingPassCatalogs } from '../boarding-pass-labels';
import { CANCELLED_WORD } from './pass-status-words';
import { buildPkpass, passFiles } from './pkpass-builder';
import { buildManifest } from './pkpass';
import { PkpassSigner } from './pkpass-signer';
import type { PassFacts } from './pass-facts';

const facts: PassFacts = {
  locale: 'en',
  passenger: { givenName: 'Luc', surname: 'Desmarais' },
  booking: { reference: 'X7K2QP' },
  flight: sampleFlight({ departureGate: 'D7' }),
  checkin: { seat: '12A', sequenceNumber: 42, compartment: 'Y' },
};
const id = {
  passTypeIdentifier: 'pass.com.example.airline.boarding',
  teamIdentifier: 'T3AMTESTID',
  serialNumber: 'serial-1',
  authenticationToken: 'b'.repeat(32),
  webServiceURL: 'https://notifier.example.com/wallet/apple',
  organizationName: 'KLM',
  bcbp: 'M1DESMARAIS/LUC       EX7K2QP AMSCDGKL 1234 335Y012A0042 100',
};

describe('manifest.json', () => {
  it('lists every file with the SHA-1 of its bytes', () => {
    const files = new Map([
      ['pass.json', Buffer.from('{}')],
      ['icon.png', Buffer.from([1, 2, 3])],
    ]);
    expect(JSON.parse(buildManifest(files).toString('utf8'))).toEqual({
      'icon.png': createHash('sha1').update(Buffer.from([1, 2, 3])).digest('hex'),
      'pass.json': 'bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f',
    });
  });
});

describe('pass files', () => {
  const catalogs = boardingPassCatalogs();
  const files = passFiles(facts, id, catalogs);

  it('has pass.json, the icons and a pass.strings for every catalog language with every key pass.json uses', () => {
    expect(files.has('pass.json')).toBe(true);
    expect(files.get('icon.png')!.subarray(1, 4).toString('latin1')).toBe('PNG');
    const passJson = files.get('pass.json')!.toString('utf8');
    const keys = new Set([...passJson.matchAll(/"(?:label|value|changeMessage|description)": "((?:label|status|change|city)\.[^"]+)"/g)].map((m) => m[1]));
    expect(keys.size).toBeGreaterThan(10);
    for (const locale of catalogs.locales) {
      const strings = files.get(`${locale}.lproj/pass.strings`)?.toString('utf8');
      expect(strings).toBeDefined();
      for (const key of keys) expect(strings).toContain(`"${key}" = "`);
    }
    expect(files.get('nl.lproj/pass.strings')!.toString('utf8')).toContain(`"label.seat" = "${catalogs.labels('nl').seat}";`);
    expect(files.get('de.lproj/pass.strings')!.toString('utf8')).toContain(`"change.gate" = "${catalogs.labels('de').gate}: %@";`);
  });

  it('has the word for a cancelled flight in every catalog language', () => {
    expect(Object.keys(CANCELLED_WORD).sort()).toEqual([...catalogs.locales].sort());
  });
});

describe('buildPkpass', () => {
  const chain = makeWalletTestChain();
  const signer = new PkpassSigner({ certificatePem: chain.passCertPem, privateKeyPem: chain.passKeyPem, wwdrCertificatePem: chain.wwdrPem });

  it('refuses a key that is not the certificate’s', () => {
    const other = makeWalletTestChain();
    expect(() => new PkpassSigner({ certificatePem: chain.passCertPem, privateKeyPem: other.passKeyPem, wwdrCertificatePem: chain.wwdrPem })).toThrow(/not the private key/);
  });

  it('zips the files, a manifest that matches them and a detached signature OpenSSL verifies against the chain; same pass, same bytes', async () => {
    const issuedAt = new Date('2026-11-30T10:00:00Z');
    const pkpass = await buildPkpass(facts, id, boardingPassCatalogs(), signer, issuedAt);
    expect(await buildPkpass(facts, id, boardingPassCatalogs(), signer, issuedAt)).toEqual(pkpass);
    const dir = mkdtempSync(join(tmpdir(), 'pkpass-'));
    try {
      writeFileSync(join(dir, 'pass.pkpass'), pkpass);
      writeFileSync(join(dir, 'root.pem'), chain.rootPem);
      execFileSync('unzip', ['-q', 'pass.pkpass', '-d', 'x'], { cwd: dir });
      const manifest = JSON.parse(readFileSync(join(dir, 'x/manifest.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(manifest)).toEqual(expect.arrayContaining(['pass.json', 'icon.png', 'en.lproj/pass.strings']));
      for (const [name, sha1] of Object.entries(manifest)) expect([name, createHash('sha1').update(readFileSync(join(dir, 'x', name))).digest('hex')]).toEqual([name, sha1]);
      const verified = execFileSync(
        'openssl',
        ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'x/signature', '-content', 'x/manifest.json', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(verified).toBeDefined();
      // The signature carries the WWDR intermediate: verification succeeds with the root alone as trust anchor.
      const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', 'x/signature', '-print_certs', '-noout'], { cwd: dir }).toString();
      expect(certs).toContain('Worldwide Developer Relations');
      // A changed manifest no longer verifies.
      writeFileSync(join(dir, 'x/manifest.json'), JSON.stringify({ ...manifest, 'pass.json': '0'.repeat(40) }));
      expect(() =>
        execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'x/signature', '-content', 'x/manifest.json', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], {
          cwd: dir,
          stdio: 'ignore',
        }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
