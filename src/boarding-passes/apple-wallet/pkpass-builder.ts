import type { BoardingPassCatalogs } from '../boarding-pass-labels';
import type { PassFacts } from './pass-facts';
import { passIcon } from './pass-icon';
import { buildPassJson, type PassIdentity } from './pass-json';
import { passStrings } from './pass-strings';
import { buildManifest, zipPass } from './pkpass';
import type { PkpassSigner } from './pkpass-signer';

/** The files of a pass before manifest and signature: pass.json, the icons, one pass.strings per catalog language. */
export function passFiles(facts: PassFacts, id: PassIdentity, catalogs: BoardingPassCatalogs): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('pass.json', Buffer.from(JSON.stringify(buildPassJson(facts, id), null, 2), 'utf8'));
  files.set('icon.png', passIcon(1));
  files.set('icon@2x.png', passIcon(2));
  files.set('icon@3x.png', passIcon(3));
  for (const [name, text] of passStrings(catalogs, [facts.flight.origin, facts.flight.destination])) files.set(name, Buffer.from(text, 'utf8'));
  return files;
}

/** A signed .pkpass of one passenger's leg; `issuedAt` (the pass's last update) pins its dates, so it is reproducible. */
export async function buildPkpass(
  facts: PassFacts,
  id: PassIdentity,
  catalogs: BoardingPassCatalogs,
  signer: PkpassSigner,
  issuedAt: Date,
): Promise<Buffer> {
  const files = passFiles(facts, id, catalogs);
  const manifest = buildManifest(files);
  files.set('manifest.json', manifest);
  files.set('signature', signer.sign(manifest, issuedAt));
  return zipPass(files, issuedAt);
}
