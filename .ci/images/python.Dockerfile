# Offline stand-in for python:3.12-slim (Debian based): Debian's own python3 (3.13 on trixie)
# with the venv module, from the root file system .ci/images/build.sh bootstraps.
#
# The host's CA bundle is copied in because this workplace reaches the registries through an
# egress proxy whose CA is only in the host's bundle; PIP_CERT points pip at it, so that
# `pip install` in a `docker build FROM` this image (docker/whoami-python.Dockerfile) works.
# Written for the legacy builder (no BuildKit here).
ARG BASE_IMAGE=mcp-auth-lab/debian:trixie-python
FROM ${BASE_IMAGE}

COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
RUN python3 --version && python3 -m venv /tmp/venv-check && rm -rf /tmp/venv-check
CMD ["python3"]
