# syntax=docker/dockerfile:1
# The image runs Deckhand as one bundle (`npm run build`, scripts/build.ts): the build stage installs everything
# from the lockfile and bundles the start; the runtime stage is Node and that bundle, with no node_modules at all.
# Build: docker build -t deckhand . ; run: docker run -p 8080:8080 deckhand
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: dependencies from the lockfile (with the bundler), then the bundle in dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Each workspace package's manifest (packages/*, one line each): npm ci links the package into node_modules.
COPY packages/rego/package.json ./packages/rego/
COPY packages/sim/package.json ./packages/sim/
RUN npm ci --no-audit --no-fund
COPY scripts/build.ts ./scripts/
COPY commands ./commands
COPY src ./src
# The engines (packages/*): node_modules/@deckhand/* are links to them. Their tests stay out (.dockerignore).
COPY packages ./packages
RUN npm run build

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# npm and corepack are not needed at run time; removing them removes their CVEs from the image.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && groupadd --gid 10001 deckhand \
 && useradd --uid 10001 --gid deckhand --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin deckhand
WORKDIR /app
# MALLOC_MMAP_THRESHOLD_: V8 parses and compiles in zones it takes from malloc in blocks of up to 32 KiB, much of it on
# its background threads, each with its own glibc arena. Freed, those blocks stayed resident in the arenas (5 to 30 MB,
# different on every start). From 32 KiB up glibc now maps each block on its own and returns it to the system when
# freed: the idle bot measured 104-107 MB instead of 113-121 (`npm run bench -- memory`). Smaller blocks are unchanged.
ENV NODE_ENV=production \
    PORT=8080 \
    MALLOC_MMAP_THRESHOLD_=32768
# Code stays owned by root and read-only to the app user: the process cannot change what it runs, and the image
# works with a read-only root filesystem (only /tmp needs to be writable; the chart mounts one).
# package.json is where Deckhand finds its version and, next to it, policies/ (src/package-root.ts).
COPY package.json deckhand.yaml ./
COPY policies ./policies
# The public key deckhand.yaml's example services trust, so that the image starts with the example config as is.
COPY examples/keys/sandbox-cosign.pub ./examples/keys/
COPY --from=build /app/dist ./dist
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080
# The V8 flag from bin/deckhand.js's shebang (why it is that one: the comment there).
# Node is PID 1 here; Deckhand installs its own SIGTERM handler, so the signal is not ignored and shutdown is graceful.
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/deckhand.js"]
CMD ["start"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
