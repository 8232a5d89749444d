#!/usr/bin/env bash
# Start a Docker daemon on this machine if none is answering, and wait until it does.
#
# Why this exists: CI and the dev machines are plain VMs with no init system running
# dockerd for us, and no container registry is reachable (images are built locally by
# .ci/images/build.sh). Safe to call any number of times: it exits 0 at once when
# `docker info` already works.
#
# Usage: bash .ci/start-dockerd.sh        (env DOCKERD_LOG overrides the log path)
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

die() { echo "start-dockerd: ERROR: $*" >&2; exit 1; }

# Fast path: a daemon is already up (started earlier in this session, or by the machine).
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  echo "start-dockerd: docker already running"
  exit 0
fi

# A fresh machine has none of these; install only what is missing so a warm machine
# never touches apt. docker.io brings dockerd, containerd, runc (and on bookworm the CLI);
# docker-compose is the v1 (1.29) Python tool the lab's compose file is run with.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if ((${#missing[@]})); then
  # De-duplicate (docker.io may be listed twice).
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "start-dockerd: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # From trixie on, the docker CLI is its own package that docker.io only recommends.
  if ! command -v docker >/dev/null 2>&1 && apt-cache show docker-cli >/dev/null 2>&1; then
    missing+=(docker-cli)
  fi
  # docker.io's postinst would start the service through invoke-rc.d; with no init
  # system that can fail the install, or start a daemon behind our back. Forbid
  # service starts for the install (the standard policy-rc.d "exit 101"), we start
  # dockerd ourselves below.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

# Two callers at once (e.g. build.sh and a test script) must not both launch a daemon:
# the loser's dockerd exits on the pid file. Serialize, then look again.
exec 8>/run/start-dockerd.lock
flock -w $((WAIT_SECONDS + 30)) 8 || die "timed out waiting for another start-dockerd.sh"
if docker info >/dev/null 2>&1; then
  echo "start-dockerd: docker already running"
  exit 0
fi

# alive PID NAME...: PID runs (and is not a zombie), with one of the NAMEs if given.
# A daemon killed with -9 whose parent is gone lingers as a zombie until reaped, and
# kill -0 alone would call it alive.
alive() {
  local pid=$1 state comm
  shift
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)"
  [[ -n $state && $state != Z ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)"
  local n
  for n in "$@"; do [[ $comm == "$n" ]] && return 0; done
  return 1
}
# The daemon we wait for: one we launched may still be setsid/nohup/bash for a moment
# before it has exec'd into dockerd; one found through the pid file must be dockerd.
live_dockerd() {
  if ((started)); then alive "$daemon" dockerd setsid nohup bash; else alive "$daemon" dockerd; fi
}

start_daemon() {
  # dockerd refuses to start while its pid file names a live process, whatever that
  # process is; a file left by a killed daemon is stale, so remove it.
  rm -f /var/run/docker.pid
  # Likewise dockerd reuses "its" containerd when that pid file names a live process,
  # and then waits ~15 s for a socket nobody serves when it is a zombie (seen after
  # kill -9): drop the file unless a real containerd is behind it.
  local cpid=/var/run/docker/containerd/containerd.pid
  if [[ -e $cpid ]] && ! alive "$(cat "$cpid" 2>/dev/null)" containerd; then rm -f "$cpid"; fi
  # No extra flags are needed on these VMs (checked on the dev machine, cgroup v1,
  # kernel 6.x, ext4): the overlay2 storage driver works, and the iptables (nf_tables)
  # rules dockerd installs work, giving containers NAT to the registries, published
  # ports, and DNS between compose services. The uplink's MTU is 1400 while bridges
  # default to 1500; TLS downloads of several MB worked anyway, so the MTU is left alone
  # (a daemon --mtu would not reach compose networks in any case).
  echo "start-dockerd: starting dockerd (log: $DOCKERD_LOG)"
  # setsid + nohup: the daemon must outlive this script and the caller's shell.
  # Since it outlives us, it must not inherit any descriptor beyond 0-2: not our
  # lock (it would hold it forever), nor a caller's lock or pipe (a CI runner reading
  # our output would wait for EOF until dockerd died). The inner bash closes them all.
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid nohup bash -c 'for fd in /proc/self/fd/*; do n=${fd##*/}; if ((n > 2)); then eval "exec $n>&-"; fi; done; exec dockerd' \
    >>"$DOCKERD_LOG" 2>&1 </dev/null &
  # No job control in a script, so setsid execs (through nohup, bash) into dockerd: $!
  # is the daemon.
  daemon=$!
  started=1
}

# A dockerd may already be starting (e.g. two callers racing): wait for that one
# instead of launching a second.
daemon="$(cat /var/run/docker.pid 2>/dev/null || true)"
started=0
live_dockerd || start_daemon

t0=$SECONDS
while ((SECONDS - t0 < WAIT_SECONDS)); do
  if docker info >/dev/null 2>&1; then
    echo "start-dockerd: docker ready after $((SECONDS - t0))s ($(docker info --format '{{.ServerVersion}} {{.Driver}}' 2>/dev/null))"
    exit 0
  fi
  if ! live_dockerd; then
    # Someone else's daemon went away: start our own, once. Ours died: fail fast
    # instead of waiting out the timeout.
    if ((started)); then break; fi
    start_daemon
  fi
  sleep 1
done
die "dockerd did not answer 'docker info' (waited $((SECONDS - t0))s, daemon $(live_dockerd && echo running || echo exited)); last log lines: $(tail -n 3 "$DOCKERD_LOG" 2>/dev/null | tr '\n' ' ')"
