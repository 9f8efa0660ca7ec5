# syntax=docker/dockerfile:1
# The trading-engine image. Build context: the repository root (one level above docker/),
# as docker compose does it:  docker build -f docker/images/trading-engine.Dockerfile .
# tools/docker/verify-image-recipe.mjs replays these steps on a machine without a Docker engine.

FROM node:24-bookworm-slim AS build
WORKDIR /repo
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
COPY . .
# `npm install` with the committed lockfile (it installs exactly what the lockfile pins): `npm ci`
# refuses the lockfile on registries that lack other platforms' optional nx/buf binaries.
RUN npm install --no-audit --no-fund
RUN npx nx run trading-engine:build --output-style=static
RUN npm prune --omit=dev --no-audit --no-fund
RUN node tools/docker/stage-app.mjs trading-engine staged

FROM node:24-bookworm-slim
# In containers every service listens on 8080 / 50051 (docs/protocols.md#ports).
ENV NODE_ENV=production HTTP_PORT=8080 GRPC_PORT=50051
WORKDIR /app
COPY --from=build --chown=node:node /repo/staged/ ./
USER node
EXPOSE 8080 50051
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT ?? 8080}/api/v1/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/trading-engine/dist/main.js"]
