#!/bin/sh
# Build the web app into web/dist (called by `make web`, `make run`, `make test`).
#   - npm ci only when web/node_modules is missing or package-lock.json changed
#   - vite build only when a source file is newer than the last build
# Works as root on a fresh machine: npm keeps its cache under $HOME/.npm.
set -eu
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "web-build: node and npm are needed (Node 20.19 or newer); run 'make deps'" >&2
	exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
	echo "web-build: Node $(node -v) is too old; Vite needs 20.19 or newer" >&2
	exit 1
fi

stamp=node_modules/.zhibu-lock
want=$(cksum < package-lock.json)
have=$(cat "$stamp" 2>/dev/null || true)
if [ ! -d node_modules ] || [ "$want" != "$have" ]; then
	echo "web-build: npm ci"
	npm ci --no-audit --no-fund --loglevel=error
	printf '%s\n' "$want" > "$stamp"
fi

if [ -f dist/index.html ] && [ -f dist/sw.js ] && [ "${ZHIBU_WEB_REBUILD:-0}" = 0 ] &&
   [ -z "$(find src public index.html vite.config.js package-lock.json scripts -newer dist/index.html 2>/dev/null | head -n 1)" ]; then
	echo "web-build: web/dist is up to date"
	exit 0
fi
echo "web-build: npm run build"
npm run build --silent
