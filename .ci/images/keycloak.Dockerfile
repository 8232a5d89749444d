# Offline stand-in for quay.io/keycloak/keycloak:<version>, laid out the same way so the
# same compose settings work: distribution at /opt/keycloak, kc.sh as entrypoint, uid 1000
# (group 0, as upstream) owning /opt/keycloak, ports 8080/8443/9000, KC_* env variables.
# Like upstream there is no curl/wget: health checks must use bash's /dev/tcp.
#
# Built by .ci/images/build.sh, whose build context holds the unpacked distribution
# in ./keycloak (already chmod g+rwX and with an empty data/ dir, as upstream does).
# Written for the legacy builder (docker 20.10 / docker-compose 1.29 have no BuildKit
# here): no COPY --chmod, no RUN --mount.
ARG BASE_IMAGE=mcp-auth-lab/debian:trixie-jre
FROM ${BASE_IMAGE}

# C.UTF-8 is built into glibc; upstream's en_US.UTF-8 would need a locales package.
ENV LANG=C.UTF-8 \
    KC_RUN_IN_CONTAINER=true

# Same account as upstream: keycloak, uid 1000, primary group 0, home /opt/keycloak.
RUN echo "keycloak:x:1000:0:keycloak user:/opt/keycloak:/usr/sbin/nologin" >> /etc/passwd

COPY --chown=1000:0 keycloak /opt/keycloak

USER 1000
EXPOSE 8080
EXPOSE 8443
EXPOSE 9000
ENTRYPOINT ["/opt/keycloak/bin/kc.sh"]
