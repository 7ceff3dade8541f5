# One image for the four padan services and the padan CLI. The compose `command` picks what runs:
#   node --max-old-space-size=128 --max-semi-space-size=16 --heap-growing-percent=100 services/ingest/dist/main.js
#       (likewise normalize, match, report, each with its heap cap: SERVICE_HEAP_MB in
#       packages/service-kit/src/service-heap.ts; V8 reads these flags only at start)
#   node packages/cli/dist/main.js topics apply
# Configuration comes only from environment variables (see docker-compose.yml and
# infra/docker/README.md).
#
# Written for the classic builder as well as BuildKit: no `RUN --mount`, no heredocs, no
# `COPY --chmod`. So Debian's docker-compose 1.29 (classic builder) and Docker Compose v2
# (BuildKit) both build it.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# base: Node 20 + pnpm. corepack fails on this project's registry (it serves pnpm without the
# signatures corepack checks), so pnpm comes from npm. The default is the root package.json's
# packageManager version.
FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION=10.34.9
ENV CI=true
RUN npm install -g "pnpm@${PNPM_VERSION}" \
 && npm cache clean --force \
 && pnpm --version
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# build: install every dependency and compile the workspace.
FROM base AS build
# 1. Download the packages named by the lockfile into a store inside this stage. The layer is
#    rebuilt only when the lockfile (or the workspace settings) change, not on every source edit.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --store-dir /pnpm/store
# 2. The sources (see .dockerignore: no node_modules, dist or tsbuildinfo from the host).
COPY . .
# 3. Install from that store without the network. The root postinstall (`tsc --build`) compiles
#    every package into its dist/. Then check that what the image is for was built.
RUN pnpm install --offline --frozen-lockfile --store-dir /pnpm/store \
 && for f in services/ingest/dist/main.js services/normalize/dist/main.js \
             services/match/dist/main.js services/report/dist/main.js \
             packages/cli/dist/main.js infra/topics.json; do \
      test -f "$f" || { echo "missing after the build: $f" >&2; exit 1; }; \
    done
# 4. Production dependencies only: delete every node_modules and install again, offline from the
#    same store, without devDependencies (typescript, vitest, testcontainers, @types/*) and
#    without lifecycle scripts (the postinstall would need typescript; dist/ is built already).
#    A `--prod` install over the existing node_modules would only unlink the dev packages and
#    leave them in node_modules/.pnpm.
RUN find . -name node_modules -type d -prune -exec rm -rf {} + \
 && pnpm install --offline --frozen-lockfile --prod --ignore-scripts --store-dir /pnpm/store

# ---------------------------------------------------------------------------------------------
# runtime: the built workspace with production dependencies, run as the unprivileged `node`
# user (uid 1000) of the Node image. The files stay owned by root: the services only read them
# (temporary files go to /tmp).
FROM ${NODE_IMAGE} AS runtime
# MALLOC_ARENA_MAX: fewer glibc malloc arenas, less resident memory (MALLOC_ARENAS in
# packages/service-kit/src/service-heap.ts says what was measured).
ENV NODE_ENV=production \
    HTTP_PORT=9464 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app /app
USER node
# Health (/healthz), readiness (/readyz) and Prometheus metrics (/metrics) of every service.
EXPOSE 9464
# Without a command the image prints the CLI's help; docker-compose.yml sets one per service.
CMD ["node", "packages/cli/dist/main.js", "--help"]
