# syntax=docker/dockerfile:1
# The service in a container: Node 24 (the reference runtime), a production build only (no bench, test support or
# fixtures: tsconfig.prod.json), run as the image's non-root `node` user. Not built in this project's CI (no Docker
# engine there); `docker compose up` uses it.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.prod.json ./
COPY src ./src
COPY migrations ./migrations
RUN npx tsc -p tsconfig.prod.json && npm prune --omit=dev --no-audit --no-fund
# Boarding passes use one weight of each font package (src/boarding-passes/boarding-pass-fonts.ts): the other
# weights and preview images (~190 MB) stay out of the image; LICENSE_FONT (OFL) stays with the fonts.
RUN find node_modules/@expo-google-fonts -mindepth 2 -maxdepth 2 -type d ! -name 400Regular -exec rm -rf {} + \
 && find node_modules/@expo-google-fonts -name '*.png' -delete

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX: glibc gives each thread that meets a busy arena a new one, up to 8 per core, and keeps what each
# has freed; with render threads, libuv's pool and V8's helpers that is memory never returned (docs/decisions/0037).
ENV NODE_ENV=production \
    PORT=3000 \
    OUTBOX_DIR=/app/var/outbox \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY templates ./templates
COPY catalogs ./catalogs
COPY docs/asyncapi.yaml ./docs/asyncapi.yaml
COPY config ./config
COPY public ./public
# The one place the service writes (the sandbox outbox); the code and templates stay root-owned and read-only to it.
RUN mkdir -p /app/var/outbox && chown -R node:node /app/var
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch asks readiness (database, broker, no channel failing on our side).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 would let the main thread's old generation grow to 4x its live size between collections on a large machine, and
# resident memory keeps what it once reached; 2x roughly halved a 10-minute soak's growth, the storm's rate within
# the machine's own swings (docs/decisions/0042). npm run start:prod and the bench use the same flag.
CMD ["node", "--heap-growing-percent=100", "dist/src/main.js"]
