# syntax=docker/dockerfile:1
# Floatline image: a build stage with compilers (better-sqlite3 is native) that installs,
# generates the Prisma client, bundles the server into one JavaScript file and builds the
# dashboard and the slides; then a slim runtime stage with only production dependencies
# and the built files — no TypeScript sources and no TypeScript loader — running as the
# unprivileged "node" user.
#
#   docker build -t floatline .
#   docker run -p 8000:8000 -v floatline-data:/data floatline
#   docker run --rm -e DATABASE_URL=… floatline node dist/server/main.mjs migrate   # migrations only

# Node 22 (maintenance LTS): Node 20 reached end of life in April 2026. Not 24 yet:
# better-sqlite3 12 aborts there when a statement is garbage-collected during teardown
# (Assertion failed: (env) != nullptr in RemoveEnvironmentCleanupHook; seen in our own
# tests on Node 24.21). The whole test suite passes on Node 22.23.3.
ARG NODE_VERSION=22

# ---------------------------------------------------------------- build
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# npm 11 honours package.json "allowScripts": only better-sqlite3 and esbuild run install
# scripts, exactly as on the developers' machines and in CI.
RUN npm install -g npm@11 && npm --version

# Dependencies first, so this layer is reused while only sources change. The postinstall
# step (scripts/prisma-generate.mjs) needs the Prisma schema and config.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs ./scripts/
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

# `npm run build` bundles the server (scripts/build-server.mjs → dist/server/main.mjs, with
# its Prisma client and TypeScript compiled in, and tracing-worker.mjs, the thread that exports
# spans) beside the dashboard, the slides and the
# overview; the prune then drops every devDependency, tsx and esbuild included, and the
# optional ones: the Prisma CLI would otherwise stay (an optional peer of @prisma/client,
# ~230 MB with TypeScript, Prisma Studio and their dependencies) though nothing runs it.
COPY . .
RUN npm run build \
 && npm prune --omit=dev --omit=optional --no-audit --no-fund \
 && test -f dist/server/main.mjs && test -f dist/server/tracing-worker.mjs \
 && test -f dist/client/index.html && test -f dist/slides/index.html && test -f dist/overview/index.html \
 && test ! -e node_modules/tsx && test ! -e node_modules/prisma

# ---------------------------------------------------------------- runtime
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP_VERSION=dev
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    LICENSE_DB_PATH=/data/licenses.db \
    LICENSE_DB_SEED=true \
    LOG_LEVEL=info \
    APP_VERSION=${APP_VERSION}
WORKDIR /app

# The database lives on a volume owned by the unprivileged user; the code stays root-owned
# and read-only for it (a read-only root filesystem works: Kubernetes mounts /tmp and /data).
# prisma/ holds the migrations the server applies at start-up (or `main.mjs migrate`).
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist

USER node
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.mjs"]
