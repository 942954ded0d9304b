import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config';

/**
 * The policy for pages this service serves that do not set their own (the Swagger UI at /api/docs; JSON
 * answers). Swagger UI's page has an inline <style> but only script files, and draws icons from data: URLs.
 * The dashboard sets a stricter policy of its own (src/ops/dashboard/dashboard-page.controller.ts).
 */
const DEFAULT_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The Express application Nest runs on, configured before Nest registers anything (ExpressAdapter's
 * constructor already adds a middleware, and Express 5 builds its router — case sensitivity and strictness
 * included — at the first registration, so these settings cannot come later):
 * - routes match exactly as written: /API/x, /api/x/ and /api//x are other paths, so 404, never the route;
 * - helmet's headers on every answer (nosniff, frame denial, a CSP), no X-Powered-By;
 * - Cache-Control: no-store unless a handler says otherwise (operator data must not sit in caches);
 * - 'trust proxy' as TRUST_PROXY_HOPS, so request.ip is the client the failed-login limit counts by.
 */
export function createHttpServer(config: Pick<AppConfig, 'TRUST_PROXY_HOPS'>): Express {
  const server = express();
  server.set('case sensitive routing', true);
  server.set('strict routing', true);
  server.set('trust proxy', config.TRUST_PROXY_HOPS);
  server.disable('x-powered-by');
  server.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: DEFAULT_CSP },
      frameguard: { action: 'deny' },
      // The service speaks plain HTTP behind whatever terminates TLS; HSTS for the domain is that proxy's call.
      strictTransportSecurity: false,
    }),
  );
  server.use(noStoreByDefault);
  return server;
}

function noStoreByDefault(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}
