# The whoami MCP server (server/) and what it imports, nothing else: the packages its
# server/package.json lists (the ones the tutorial installs), installed from the lockfile.
# NODE_IMAGE is a build argument so CI can build on its own stand-in image (see .env).
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
# Node runs the TypeScript sources directly (type stripping): no build step.
COPY server ./server

# Any unprivileged uid will do: the server writes nothing.
USER 1000
CMD ["node", "server/whoami.ts"]
