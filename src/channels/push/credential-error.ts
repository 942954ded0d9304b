/**
 * Making a provider credential failed. `refused`: the provider or our own key said no (invalid_grant, a key
 * that does not import) and a person must act; otherwise it could not be asked now (network, 5xx).
 */
export class CredentialError extends Error {
  constructor(
    readonly refused: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** Imports a PEM key, or says which key is unusable (never the key itself). */
export async function importKey<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new CredentialError(true, `${what} cannot be used: ${(error as Error).message.slice(0, 200)}`);
  }
}
