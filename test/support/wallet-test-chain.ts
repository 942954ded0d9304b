import { generateKeyPairSync } from 'node:crypto';
import * as forge from 'node-forge';

/**
 * A certificate chain shaped like Apple's for Wallet passes, made at test time: a root CA ("Apple Root CA"), an
 * intermediate CA ("WWDR") and a pass type certificate (CN "Pass Type ID: <id>", UID the pass type id, OU the
 * team id) with its RSA key. Keys come from node:crypto (fast); node-forge writes the certificates.
 */
export interface WalletTestChain {
  rootPem: string;
  wwdrPem: string;
  passCertPem: string;
  passKeyPem: string;
  passTypeId: string;
  teamId: string;
}

/** The service's Apple Wallet variables for this chain (all five). */
export function appleWalletEnv(chain: WalletTestChain): Record<string, string> {
  return {
    APPLE_WALLET_PASS_TYPE_ID: chain.passTypeId,
    APPLE_WALLET_TEAM_ID: chain.teamId,
    APPLE_WALLET_CERT: chain.passCertPem,
    APPLE_WALLET_KEY: chain.passKeyPem,
    APPLE_WALLET_WWDR_CERT: chain.wwdrPem,
  };
}

export function makeWalletTestChain(passTypeId = 'pass.com.example.airline.boarding', teamId = 'T3AMTESTID'): WalletTestChain {
  const root = keyPair();
  const wwdr = keyPair();
  const pass = keyPair();
  const rootCert = certificate({ serial: '01', subject: [{ name: 'commonName', value: 'Test Apple Root CA' }], key: root, issuer: undefined, ca: true });
  const wwdrCert = certificate({
    serial: '02',
    subject: [{ name: 'commonName', value: 'Test Apple Worldwide Developer Relations Certification Authority' }, { name: 'organizationalUnitName', value: 'G4' }],
    key: wwdr,
    issuer: { cert: rootCert, key: root },
    ca: true,
  });
  const passCert = certificate({
    serial: '03',
    subject: [
      { type: '0.9.2342.19200300.100.1.1', value: passTypeId },
      { name: 'commonName', value: `Pass Type ID: ${passTypeId}` },
      { name: 'organizationalUnitName', value: teamId },
    ],
    key: pass,
    issuer: { cert: wwdrCert, key: wwdr },
    ca: false,
  });
  return {
    rootPem: forge.pki.certificateToPem(rootCert),
    wwdrPem: forge.pki.certificateToPem(wwdrCert),
    passCertPem: forge.pki.certificateToPem(passCert),
    passKeyPem: pass.privatePem,
    passTypeId,
    teamId,
  };
}

interface Pair {
  privatePem: string;
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
}

function keyPair(): Pair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    privatePem,
    privateKey: forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
  };
}

function certificate(o: {
  serial: string;
  subject: forge.pki.CertificateField[];
  key: Pair;
  issuer: { cert: forge.pki.Certificate; key: Pair } | undefined;
  ca: boolean;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = o.serial;
  cert.publicKey = o.key.publicKey;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject(o.subject);
  cert.setIssuer(o.issuer ? o.issuer.cert.subject.attributes : o.subject);
  cert.setExtensions(
    o.ca
      ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]
      : [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }, { name: 'extKeyUsage', clientAuth: true, codeSigning: true, emailProtection: true }],
  );
  cert.sign((o.issuer?.key ?? o.key).privateKey, forge.md.sha256.create());
  return cert;
}
