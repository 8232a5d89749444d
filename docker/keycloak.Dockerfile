# Keycloak as the compose stack (and the tests' testcontainers target) runs it: the official image,
# or CI's stand-in, built once with the lab's options, so that each start is `start --optimized`:
# no re-augmentation at every start, as `start-dev` does. The options `lab up` builds its native
# copy with (lab/keycloak/keycloak-build.ts): a dev-file database (compose keeps it in the
# keycloak-data volume), health endpoints on, and the features asked for. Everything else (host
# names, ports, proxy headers, the cache) is given at start.
# Written for the legacy builder too (docker 20.10 / docker-compose 1.29 without BuildKit).
ARG KEYCLOAK_IMAGE_REPOSITORY=quay.io/keycloak/keycloak
ARG KEYCLOAK_VERSION=26.2.4
FROM ${KEYCLOAK_IMAGE_REPOSITORY}:${KEYCLOAK_VERSION}
ARG KEYCLOAK_FEATURES=
RUN /opt/keycloak/bin/kc.sh build --db=dev-file --health-enabled=true ${KEYCLOAK_FEATURES:+--features=$KEYCLOAK_FEATURES}
