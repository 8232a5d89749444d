# The Node whoami server (server/*.ts) and what it imports, nothing else: the packages its
# server/package.json lists (the ones the tutorial installs), installed from the lockfile.
# NODE_IMAGE is a build argument so CI can build on its own stand-in image (see .env).
# docker compose builds it when WHOAMI_SDK=node (the default); docker/whoami-python.Dockerfile is the other.
ARG NODE_IMAGE=node:24-slim
FROM ${NODE_IMAGE}

WORKDIR /app
ENV NODE_ENV=production
# Dependencies first: this layer is rebuilt only when a package file changes. npm needs every
# workspace's package.json to check the lockfile, and installs the server's dependencies only.
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY provisioning/package.json provisioning/
RUN npm ci --omit=dev --workspace server --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Node runs the TypeScript sources directly (type stripping): no build step. Only the Node
# server's files: server/python/ belongs to the other image.
COPY server/*.ts ./server/

# Any unprivileged uid will do: the server writes nothing.
USER 1000
HEALTHCHECK --interval=2s --timeout=5s --retries=30 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.WHOAMI_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 flags: a young generation that a burst does not grow for good (lab/whoami-process.ts, whoamiNodeFlags).
CMD ["node", "--max-semi-space-size=8", "server/whoami.ts"]
