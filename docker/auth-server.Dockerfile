# The lab's own authorization server of the OIDC and OAuth 2 tabs (lab/providers/, oidc-provider
# configured) and what it imports, nothing else: core/, two files of lab/, and the packages of
# lab/providers/package.json, installed from the lockfile. docker compose runs it as oidc-provider
# (LAB_PROVIDER=oidc) or oauth-server (LAB_PROVIDER=oauth); lab/providers/compose-main.ts derives
# the server from the lab's settings, as `lab up` does.
ARG NODE_IMAGE=node:24-slim
FROM ${NODE_IMAGE}

WORKDIR /app
ENV NODE_ENV=production
# npm needs every workspace's package.json to check the lockfile, and installs lab/providers' only.
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY provisioning/package.json provisioning/
COPY lab/providers/package.json lab/providers/
RUN npm ci --omit=dev --workspace lab/providers --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY core ./core
COPY lab/main.ts lab/escape-html.ts ./lab/
COPY lab/providers ./lab/providers

# Registered clients are kept in LAB_STATE_DIR, a volume: a new volume takes this folder's owner.
ENV LAB_STATE_DIR=/var/lib/mcp-auth-lab
RUN mkdir -p "$LAB_STATE_DIR" && chown 1000 "$LAB_STATE_DIR"
USER 1000
CMD ["node", "lab/providers/compose-main.ts"]
