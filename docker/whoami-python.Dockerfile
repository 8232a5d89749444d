# The Python whoami server (server/python/, the tutorial's Python tab, tutorial mode) and what it
# imports, nothing else: the packages of its lock file, hash-checked, in a virtual environment.
# PYTHON_IMAGE is a build argument so CI can build on its own stand-in image (see .env).
# docker compose builds it when WHOAMI_SDK=python.
ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE}

WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY server/python/requirements.lock ./
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --no-input \
      --require-hashes --no-deps -r requirements.lock
COPY server/python/*.py ./

ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    WHOAMI_HOST=0.0.0.0 WHOAMI_PORT=3001
# Any unprivileged uid will do: the server writes nothing.
USER 1000
HEALTHCHECK --interval=2s --timeout=5s --retries=30 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['WHOAMI_PORT'], timeout=4)"]
# The tutorial's `uvicorn whoami:app --host 0.0.0.0 --port 3001`, from the settings; uvicorn stops
# within 3 s on SIGTERM even with an SSE stream open.
CMD ["sh", "-c", "exec uvicorn whoami:app --host \"$WHOAMI_HOST\" --port \"$WHOAMI_PORT\" --timeout-graceful-shutdown 3 --no-access-log"]
