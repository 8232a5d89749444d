# Provisioning (provisioning/) and the core it imports: docker compose's `provision` service
# runs it once Keycloak is healthy, then exits.
ARG NODE_IMAGE=node:24-slim
FROM ${NODE_IMAGE}

WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY provisioning/package.json provisioning/
RUN npm ci --omit=dev --workspace provisioning --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY core ./core
COPY provisioning ./provisioning

USER 1000
CMD ["node", "provisioning/main.ts"]
