#!/usr/bin/env bash
# Validates compose.yaml with `.env.example` as its `.env`, without a container engine: Debian's
# docker-compose (installed when missing) checks the schema, the interpolation and the merges.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v docker-compose >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cp compose.yaml Dockerfile "$dir/"
cp .env.example "$dir/.env"
(cd "$dir" && docker-compose config --quiet)
echo "compose.yaml is valid"
