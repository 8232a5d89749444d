# Offline stand-in for nginx:stable-alpine (the official image), the same where
# docker-compose.yml relies on it: `nginx -g 'daemon off;'` as the command, run as root with
# workers as an unprivileged user, logs to the container's output, and
# /etc/nginx/templates/*.template rendered into /etc/nginx/conf.d/ at start by envsubst of the
# environment's variables only (the official image's 20-envsubst-on-templates.sh).
#
# Built by .ci/images/build.sh on a Debian root file system with nginx and gettext-base
# (envsubst) from Debian's archive. Written for the legacy builder (no BuildKit here).
ARG BASE_IMAGE=mcp-auth-lab/debian:trixie-nginx
FROM ${BASE_IMAGE}

COPY docker-entrypoint.sh /docker-entrypoint.sh
# Debian's nginx.conf includes conf.d/*.conf, as the official one does, and sites-enabled/*,
# whose default site (port 80) the official image does not have.
RUN rm -f /etc/nginx/sites-enabled/default \
 && mkdir -p /etc/nginx/templates \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && chmod 755 /docker-entrypoint.sh \
 && nginx -t

EXPOSE 80
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
