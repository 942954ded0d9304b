/**
 * Values of the configuration that modules below the app take by injection token rather than from AppConfig,
 * so they can be given another value alone (tests, the bench). ConfigModule provides them.
 */

/** The absolute path of the message catalogs folder (catalogs/<locale>/<namespace>.json), for readers outside rendering. */
export const CATALOGS_DIR = Symbol('CATALOGS_DIR');

/**
 * Injection token for the BCBP signing key: a PEM ECDSA P-256 private key (string), or undefined to
 * issue bar codes without security data. Provide it with useFactory or useValue of a string; Nest
 * does not accept `useValue: undefined`, so leave the token out (or use a factory) for no signing.
 */
export const BCBP_SIGNING_KEY = Symbol('BCBP_SIGNING_KEY');

/**
 * Worker threads that render boarding passes (QR and PDF): a number; 0 renders on the event loop. Left out,
 * BoardingPassService renders on the event loop (a service used on its own, the CLI, unit tests).
 */
export const BOARDING_PASS_THREADS = Symbol('BOARDING_PASS_THREADS');
