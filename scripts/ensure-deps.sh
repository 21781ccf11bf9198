#!/bin/sh
# Installs what `npm run sandbox` and `npm test` need on a fresh machine: the npm dependencies (which include
# Node 24 itself, from the npm package `node`) and redis-server (apt, when run as root), unless REDIS_URL is set.
set -e
cd "$(dirname "$0")/.."
# The workspace packages (packages/*) are linked into node_modules by the same install; a changed package.json of
# theirs needs it again, as the root's does.
stale=false
for manifest in package.json packages/*/package.json; do
  if [ -f "$manifest" ] && [ "$manifest" -nt node_modules/.package-lock.json ]; then stale=true; fi
done
if [ ! -x node_modules/.bin/vitest ] || [ ! -x node_modules/.bin/node ] || [ "$stale" = true ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
# The stripped JavaScript of every source file, so that starts do not load Node's type stripper (bin/stripped-sources.js).
node_modules/.bin/node bin/stripped-sources.js >/dev/null
if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing redis-server (apt-get)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "Deckhand needs redis-server for its queue. Install it (Debian/Ubuntu: sudo apt-get install redis-server;" >&2
    echo "macOS: brew install redis), or set REDIS_URL to a Redis you already run." >&2
    exit 1
  fi
fi
# The sandbox uses a real Prometheus (and Alertmanager) when installed, the simulated one otherwise: try, never fail.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing prometheus and prometheus-alertmanager (apt-get)…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus prometheus-alertmanager >/dev/null) \
      || echo "Could not install prometheus; the sandbox uses its simulated Prometheus." >&2
  fi
fi
