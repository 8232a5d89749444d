#!/usr/bin/env bash
# Check the images built by .ci/images/build.sh do what the lab relies on.
#
# Usage: bash .ci/images/smoke.sh [keycloak-version...]     (default: 26.2.4)
#   - node image: node/npm run, and a `docker build` FROM it can `npm install`/`npm ci`
#     from the registry (needs the host CA bundle baked in);
#   - each Keycloak image: start-dev with the upstream env variables becomes ready on the
#     management port, runs as uid 1000, has no curl, and the bash /dev/tcp health check
#     (the one to use in docker-compose.yml) reports healthy.
# Publishes Keycloak on free host ports picked by docker (other work may hold 8080/18080);
# removes what it starts.
# Prints 'N passed, N failed' last.
set -euo pipefail

PREFIX=mcp-auth-lab
NODE_IMAGE="${NODE_IMAGE:-$PREFIX/node:24}"
versions=("$@")
((${#versions[@]})) || versions=(26.2.4)
export DOCKER_BUILDKIT=0   # no buildx here; see build.sh
READY_TIMEOUT="${READY_TIMEOUT:-180}"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }

CONTAINERS=() TMP=""
cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  [[ -z $TMP ]] || rm -rf "$TMP"
  docker rmi mcp-auth-lab-smoke/npm:latest >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- node ---------------------------------------------------------------------------------
if out="$(docker run --rm "$NODE_IMAGE" node --version)"; then ok "node --version: $out"; else fail "node --version"; fi
if out="$(docker run --rm "$NODE_IMAGE" npm --version)"; then ok "npm --version: $out"; else fail "npm --version"; fi
if out="$(docker run --rm "$NODE_IMAGE" pwd)" && [[ $out == /app ]]; then ok "workdir is /app"; else fail "workdir is /app (got '${out:-}')"; fi

TMP="$(mktemp -d)"
cat >"$TMP/Dockerfile" <<EOF
FROM $NODE_IMAGE
RUN npm init -y >/dev/null && npm install is-number && rm -rf node_modules && npm ci \
 && node -e "console.log('is-number says', require('is-number')(5))"
EOF
t0=$SECONDS
if docker build --no-cache -t mcp-auth-lab-smoke/npm:latest "$TMP" >"$TMP/build.log" 2>&1; then
  grep -E 'added|is-number says' "$TMP/build.log" | sed 's/^/     /' 
  ok "docker build FROM $NODE_IMAGE: npm install + npm ci from the registry ($((SECONDS - t0))s)"
else
  tail -n 20 "$TMP/build.log"; fail "docker build FROM $NODE_IMAGE with npm install/ci"
fi

# --- keycloak -------------------------------------------------------------------------------
# The health check to copy into docker-compose.yml: the image has bash but no curl/wget.
HEALTH_CMD='exec 3<>/dev/tcp/127.0.0.1/9000 && printf "GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'

for v in "${versions[@]}"; do
  img="$PREFIX/keycloak:$v" name="mcp-auth-lab-smoke-kc-${v//./-}"
  docker rm -f "$name" >/dev/null 2>&1 || true
  CONTAINERS+=("$name")
  t0=$SECONDS
  docker run -d --name "$name" \
    -e KC_BOOTSTRAP_ADMIN_USERNAME=admin -e KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    -e KC_HEALTH_ENABLED=true \
    --health-cmd "bash -c '$HEALTH_CMD'" --health-interval 2s --health-retries 90 \
    -p 127.0.0.1::8080 -p 127.0.0.1::9000 \
    "$img" start-dev >/dev/null
  http="$(docker port "$name" 8080/tcp | head -n 1)" mgmt="$(docker port "$name" 9000/tcp | head -n 1)"
  ready=""
  while ((SECONDS - t0 < READY_TIMEOUT)); do
    if curl -fsS "http://$mgmt/health/ready" 2>/dev/null | grep -q '"UP"'; then ready=$((SECONDS - t0)); break; fi
    [[ "$(docker inspect -f '{{.State.Running}}' "$name")" == true ]] || break
    sleep 1
  done
  if [[ -n $ready ]]; then ok "keycloak $v: /health/ready UP after ${ready}s"; else
    docker logs --tail 30 "$name" 2>&1; fail "keycloak $v: not ready within ${READY_TIMEOUT}s"; continue
  fi
  # The admin console answers on 8080 (bootstrap admin came from the env variables).
  if curl -fsS -o /dev/null -d 'client_id=admin-cli&grant_type=password&username=admin&password=admin' \
      "http://$http/realms/master/protocol/openid-connect/token"; then
    ok "keycloak $v: bootstrap admin gets a token"
  else fail "keycloak $v: bootstrap admin token"; fi
  if [[ "$(docker exec "$name" id -u)" == 1000 ]]; then ok "keycloak $v: runs as uid 1000"; else fail "keycloak $v: uid 1000"; fi
  if docker exec "$name" bash -c 'command -v curl || command -v wget' >/dev/null; then
    fail "keycloak $v: has curl/wget (upstream has none)"; else ok "keycloak $v: no curl/wget, like upstream"; fi
  health=""
  for _ in $(seq 1 30); do
    health="$(docker inspect -f '{{.State.Health.Status}}' "$name")"
    [[ $health == healthy ]] && break
    sleep 1
  done
  if [[ $health == healthy ]]; then ok "keycloak $v: bash /dev/tcp health check healthy ($((SECONDS - t0))s after start)"
  else fail "keycloak $v: health check status '$health'"; fi
  docker rm -f "$name" >/dev/null
done

echo "$passed passed, $failed failed"
((failed == 0))
