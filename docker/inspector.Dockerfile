# The official MCP Inspector (@modelcontextprotocol/inspector), so a learner clones nothing.
# Settings (bind address, port) are in docker-compose.yml, next to the reasons for them.
ARG NODE_IMAGE=node:24-slim
FROM ${NODE_IMAGE}
ARG INSPECTOR_VERSION=2.12.0

RUN npm install --global --no-audit --no-fund "@modelcontextprotocol/inspector@${INSPECTOR_VERSION}" \
 && npm cache clean --force

# Unprivileged; the Inspector keeps its state (~/.mcp-inspector) under HOME.
ENV HOME=/tmp/inspector
USER 1000
CMD ["mcp-inspector", "--web"]
