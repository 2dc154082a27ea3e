# Missing Person Finder: one image for the web process and the worker (see docs/deployment.md).
#   docker build -t missing-person-finder .
#   docker run -p 8000:8000 -v mpf-data:/data missing-person-finder          # web (default)
#   docker run -v mpf-data:/data missing-person-finder worker                # a worker
# BASE_IMAGE must be a Debian bookworm image with Node 24 at /usr/local/bin/node (npm beside it
# and its headers under /usr/local/include/node), as the official node image has.
ARG BASE_IMAGE=node:24-bookworm-slim

# Production dependencies. better-sqlite3 downloads a prebuilt binary when it can and compiles
# otherwise: the compiler stays in this stage, and node-gyp takes the base image's Node headers
# (npm_config_nodedir) instead of downloading them.
FROM ${BASE_IMAGE} AS deps
# Only for a build behind a TLS-intercepting proxy: a CA bundle mounted into the build.
ARG NODE_EXTRA_CA_CERTS
ENV npm_config_nodedir=/usr/local
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-fund --no-audit && npm cache clean --force

# The web app, built with Vite (a devDependency, so in a stage of its own). It imports a few
# types from src/.
FROM ${BASE_IMAGE} AS web
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-fund --no-audit
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npx vite build web

FROM ${BASE_IMAGE}
# Debian's ffmpeg (security-maintained) and tini, which forwards SIGTERM and reaps ffmpeg children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin mpf \
 && mkdir -p /data \
 && chown mpf:mpf /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY --from=web /app/web/dist ./web/dist
COPY deploy/container/entrypoint.sh /usr/local/bin/mpf
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe
USER mpf
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/mpf"]
CMD ["web"]
