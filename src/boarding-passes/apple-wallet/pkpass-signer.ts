import * as forge from 'node-forge';

/** The pass type certificate with its private key and Apple's WWDR intermediate, all PEM, from the environment. */
export interface PassSigningMaterial {
  certificatePem: string;
  privateKeyPem: string;
  wwdrCertificatePem: string;
}

/**
 * Signs manifest.json the way Wallet checks it (https://developer.apple.com/documentation/walletpasses/building-a-pass):
 * a detached PKCS#7 / CMS SignedData over the manifest's bytes by the pass type certificate, carrying that
 * certificate and the WWDR intermediate so the phone can chain it to Apple's root. SHA-256 digest, with the
 * content type, message digest and signing time as signed attributes (the signing time is the pass's issue
 * time, so the same pass signs to the same bytes). node-forge: RSA keys, as Apple issues pass certificates.
 */
export class PkpassSigner {
  private readonly certificate: forge.pki.Certificate;
  private readonly wwdr: forge.pki.Certificate;
  private readonly key: forge.pki.rsa.PrivateKey;

  /** Parses the PEMs once; a bad one stops the start with a message naming the variable, never its content. */
  constructor(material: PassSigningMaterial) {
    this.certificate = parse('APPLE_WALLET_CERT', () => forge.pki.certificateFromPem(material.certificatePem));
    this.wwdr = parse('APPLE_WALLET_WWDR_CERT', () => forge.pki.certificateFromPem(material.wwdrCertificatePem));
    this.key = parse('APPLE_WALLET_KEY', () => forge.pki.privateKeyFromPem(material.privateKeyPem) as forge.pki.rsa.PrivateKey);
    const publicKey = this.certificate.publicKey as forge.pki.rsa.PublicKey;
    if (!publicKey.n || publicKey.n.compareTo(this.key.n) !== 0) {
      throw new Error('APPLE_WALLET_KEY is not the private key of APPLE_WALLET_CERT');
    }
  }

  /** The DER bytes of the detached signature of `manifest`. */
  sign(manifest: Buffer, signingTime: Date): Buffer {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(manifest.toString('binary'));
    p7.addCertificate(this.certificate);
    p7.addCertificate(this.wwdr);
    p7.addSigner({
      key: this.key,
      certificate: this.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        // node-forge's typings say string; its code takes a Date for signingTime (and formats it as UTCTime).
        { type: forge.pki.oids.signingTime, value: signingTime as unknown as string },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

function parse<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${variable} is not a usable PEM (${error instanceof Error ? error.message : 'unreadable'})`);
  }
}
