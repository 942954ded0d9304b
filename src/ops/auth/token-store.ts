import { createHash, timingSafeEqual } from 'node:crypto';
import type { OpsPrincipal, OpsRole } from './ops-role';

/**
 * The configured tokens, kept only as SHA-256 digests. A presented token is hashed and compared with
 * every digest in constant time, so neither the comparison nor the loop leaks which one matched.
 */
export class TokenStore {
  private readonly entries: { digest: Buffer; role: OpsRole; actor: string }[];

  constructor(tokens: { role: OpsRole; token: string }[]) {
    this.entries = tokens.map(({ role, token }) => {
      const digest = sha256(token);
      return { digest, role, actor: `${role}:${digest.toString('hex').slice(0, 8)}` };
    });
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  authenticate(token: string): OpsPrincipal | undefined {
    const digest = sha256(token);
    let found: OpsPrincipal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = { role: entry.role, actor: entry.actor };
    }
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
