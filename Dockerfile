# Not built in this project's CI (no Docker engine there); kept simple so users can run the service in a container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY templates ./templates
COPY docs/asyncapi.yaml ./docs/asyncapi.yaml
COPY config ./config
COPY public ./public
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
