# Scribe on the official Node 20 image.
#   docker build -t scribe .
#   docker run -d --name scribe --restart on-failure --stop-timeout 15 --env-file scribe.env \
#     -v /etc/scribe/scribe.yaml:/app/config/scribe.yaml:ro -v scribe-data:/app/data scribe
# README.md, "Running it in production", has the rest (deploy-commands, backups, upgrading).

FROM node:20-slim AS build
# sqlite3 (under @keyv/sqlite) downloads a prebuilt binary when installed and compiles itself when that
# fails (GitHub unreachable, or no binary for the platform); python3, make and g++ are for that case.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# node-gyp compiles against the image's own Node headers instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
# tsc is a devDependency needed only to build; the runtime keeps the dependencies alone.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
# git (and openssh-client for SSH remotes) for publishing notes to a repository; ca-certificates for TLS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# package.json is needed at run time: its "type": "module" makes dist/ ES modules.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin/scribe.mjs ./bin/
COPY config/example.yaml ./config/
# The SQLite store (the default STORE_URL) lives in data/; a new named volume takes this owner.
RUN mkdir data && chown node:node data
VOLUME ["/app/data"]
# The official image's unprivileged user (uid 1000).
USER node
ENV STORE_URL=sqlite://data/scribe.sqlite \
    SCRIBE_CONFIG=config/scribe.yaml
# node itself, not npm: SIGTERM reaches Scribe, which finishes its writes and exits within 10 s.
# The image is built already; nothing is compiled at start.
STOPSIGNAL SIGTERM
CMD ["node", "bin/scribe.mjs", "start"]
