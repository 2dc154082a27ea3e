#!/bin/sh
# The image's command: `web` (default), `worker`, `migrate ARGS…`, or any other command as given.
# exec: node replaces this shell, so tini's SIGTERM reaches node and its graceful shutdown.
set -e
case "${1:-web}" in
  web) exec node --import tsx src/main.ts ;;
  worker) exec node --import tsx src/worker.ts ;;
  migrate) shift; exec node --import tsx scripts/migrate.ts "$@" ;;
  *) exec "$@" ;;
esac
