# syntax=docker/dockerfile:1
# Deckhand runs its TypeScript sources directly with Node 24's type stripping: there is no build step, only
# production dependencies to install (and the stripped sources cached at build time, see bin/stripped-sources.js). Build: docker build -t deckhand . ; run: docker run -p 8080:8080 deckhand
ARG NODE_IMAGE=node:24-bookworm-slim

# --- dependencies: installed from the lockfile, without devDependencies (TypeScript, vitest, the `node` package) ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Each workspace package's manifest (packages/*, one line each): npm ci links the package into node_modules and
# installs its dependencies; its sources come into the runtime stage below.
COPY packages/rego/package.json ./packages/rego/
COPY packages/sim/package.json ./packages/sim/
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# npm and corepack are not needed at run time; removing them removes their CVEs from the image.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && groupadd --gid 10001 deckhand \
 && useradd --uid 10001 --gid deckhand --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin deckhand
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8080
# Code and dependencies stay owned by root and read-only to the app user: the process cannot change what it runs,
# and the image works with a read-only root filesystem (only /tmp needs to be writable; the chart mounts one).
COPY --from=deps /app/node_modules ./node_modules
COPY package.json deckhand.yaml ./
COPY bin ./bin
COPY commands ./commands
COPY src ./src
# The engines (packages/*): node_modules/@deckhand/* are links to them. Their tests stay out (.dockerignore).
COPY packages ./packages
COPY policies ./policies
# The image's file system is read-only at run time: strip every source now, so no start loads the type stripper.
RUN node bin/stripped-sources.js
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080
# The V8 flags from bin/deckhand.js's shebang, which `node file` does not read: a smaller resident set for a
# process that idles most of the day. Node is PID 1 here; Deckhand installs its own SIGTERM handler, so the
# signal is not ignored and shutdown is graceful.
ENTRYPOINT ["node", "--max-semi-space-size=1", "--optimize-for-size", "bin/deckhand.js"]
CMD ["start"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
