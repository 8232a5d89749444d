# The lab's Node image: the whoami MCP server (server/) and the provisioning command
# (`node lab/cli.ts provision`); docker-compose.yml runs it twice with different commands.
# NODE_IMAGE is a build argument so CI can build on its own stand-in image (see .env).
ARG NODE_IMAGE=node:24-slim
FROM ${NODE_IMAGE}

WORKDIR /app
ENV NODE_ENV=production
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Node runs the TypeScript sources directly (type stripping): no build step.
COPY lab ./lab
COPY provisioning ./provisioning
COPY server ./server

# Any unprivileged uid will do: the server and provisioning write nothing.
USER 1000
CMD ["node", "server/whoami.ts"]
