#!/usr/bin/env bash
# Build Docker Compose (the v2+ CLI learners have as `docker compose`; module
# github.com/docker/compose/v5) from the Go module proxy and install it as a Docker CLI plugin, so
# CI runs the compose target with it where only docker.io (Debian: no compose plugin, no buildx) is
# installed. The module's source and its dependencies come from the Go module proxy that
# `go env GOPROXY` names (",direct" is dropped); nothing else is reached.
#
# Usage: bash install-compose-v2.sh [--system | --no-install]
#   default      plugin in ${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-compose
#   --system     plugin in /usr/local/lib/docker/cli-plugins/docker-compose (every user, every CLI)
#   --no-install only build (or find) the cached binary and print its path
# Env: COMPOSE_VERSION (default pinned below), COMPOSE_KEEP_GO_CACHE=1 keeps the Go module/build
#      caches of the build (~800 MB; default: removed once the binary is cached).
# Idempotent: the binary is cached in ${XDG_CACHE_HOME:-$HOME/.cache}/mcp-auth-lab/compose-<version>/
# and rebuilt only if missing or reporting another version. Cold build ~2-5 min on 2 cores
# (~90 MB of module zips), then ~0 s.
set -euo pipefail

# Pinned: the newest version whose go.mod the machine's Go (1.26.8) accepts. v5.7.x needs Go >= 1.26.10.
DEFAULT_VERSION=v5.6.0
DEFAULT_SUM=h1:WCDEV0D1CtZLyPdklHdEjFBnCStosBYkfsD3tvM/ITU=   # go.sum hash of the module zip
MODULE=github.com/docker/compose/v5

VERSION=${COMPOSE_VERSION:-$DEFAULT_VERSION}
mode=user
case ${1:-} in
  '') ;;
  --system) mode=system ;;
  --no-install) mode=none ;;
  *) echo "usage: $0 [--system | --no-install]" >&2; exit 2 ;;
esac

log() { printf '[compose] %s\n' "$*" >&2; }
die() { printf '[compose] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_BASE="${XDG_CACHE_HOME:-$HOME/.cache}/mcp-auth-lab"
DIR="$CACHE_BASE/compose-$VERSION"
BIN="$DIR/docker-compose"

binary_ok() { [[ -x $BIN ]] && [[ "$("$BIN" version --short 2>/dev/null)" == "${VERSION#v}" ]]; }

build() {
  local go
  go=$(command -v go || true)
  [[ -n $go ]] || { [[ -x /usr/local/go/bin/go ]] && go=/usr/local/go/bin/go; } || die "no Go toolchain (go) found"
  local work="$CACHE_BASE/compose-build"   # module + build caches of this build only
  local proxy
  proxy=$("$go" env GOPROXY)
  proxy=${proxy%,direct}; proxy=${proxy%|direct}
  [[ -n $proxy && $proxy != direct && $proxy != off ]] || die "GOPROXY='$proxy': a module proxy is needed (no VCS access here)"
  # Our own settings, whatever the caller's environment: no VCS, no toolchain download, no go.work,
  # a static binary.
  export GOPROXY=$proxy GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
         GOMODCACHE="$work/mod" GOCACHE="$work/build"
  local t0=$SECONDS json dir sum
  log "downloading $MODULE@$VERSION (Go $("$go" env GOVERSION), proxy from go env)"
  json=$("$go" mod download -json "$MODULE@$VERSION") || die "go mod download failed: $json"
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  [[ -n $dir && -f $dir/go.mod ]] || die "no module directory in: $json"
  if [[ $VERSION == "$DEFAULT_VERSION" && $sum != "$DEFAULT_SUM" ]]; then
    die "$MODULE@$VERSION has hash $sum, pinned $DEFAULT_SUM"
  fi
  log "building ./cmd (the slow part; log: $DIR/build.log)"
  mkdir -p "$DIR"
  # As upstream's Makefile: -trimpath, version in internal.Version; -s -w drop debug info.
  if ! (cd "$dir" && "$go" build -trimpath \
      -ldflags "-s -w -X $MODULE/internal.Version=$VERSION" -o "$BIN.tmp" ./cmd) >"$DIR/build.log" 2>&1; then
    grep -v '^go: downloading' "$DIR/build.log" | tail -n 20 >&2
    die "go build failed (full log: $DIR/build.log)"
  fi
  mv -f "$BIN.tmp" "$BIN"
  if [[ ${COMPOSE_KEEP_GO_CACHE:-0} != 1 ]]; then
    chmod -R u+w "$work" 2>/dev/null || true   # the module cache is read-only
    rm -rf "$work"
  fi
  log "built $BIN in $((SECONDS - t0)) s ($(du -h "$BIN" | cut -f1))"
}

mkdir -p "$CACHE_BASE"
exec 7>"$CACHE_BASE/.compose.lock"
flock 7
if binary_ok; then log "cached: $BIN"; else rm -f "$BIN"; build; binary_ok || die "$BIN does not report $VERSION"; fi

case $mode in
  none) echo "$BIN"; exit 0 ;;
  system) plugdir=/usr/local/lib/docker/cli-plugins ;;
  user) plugdir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins" ;;
esac
mkdir -p "$plugdir"
install -m 0755 "$BIN" "$plugdir/docker-compose.tmp"
mv -f "$plugdir/docker-compose.tmp" "$plugdir/docker-compose"
log "installed $plugdir/docker-compose"
if command -v docker >/dev/null 2>&1; then
  docker compose version >&2 || die "docker does not find the plugin in $plugdir"
fi
echo "$plugdir/docker-compose"
