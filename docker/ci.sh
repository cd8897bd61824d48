#!/usr/bin/env bash
# Everything CI needs for the container side, in one command (as root, on Debian 12):
#
#   docker/ci.sh PUBLISH_DIR
#
# installs Docker, debootstrap and docker-compose from Debian if missing, starts a Docker daemon if none answers
# (and stops that daemon again at the end), builds the images (docker/images/build.sh --postgres all
# --proxy-publish PUBLISH_DIR), and runs docker/check-compose.sh with PostgreSQL 15 and 17.
# PUBLISH_DIR is the output of
#   dotnet publish harness/ChaosPg.Cli -c Release -r linux-x64 --self-contained -o PUBLISH_DIR
# Exit code: that of the first failing step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
publish="${1:?usage: docker/ci.sh PUBLISH_DIR (the self-contained publish output of harness/ChaosPg.Cli)}"
say() { printf '\n== docker/ci.sh: %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v iptables >/dev/null || missing+=(iptables)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then missing+=(docker-compose); fi
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dockerd_pid=""
stop_dockerd() {
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null || true
        wait "$dockerd_pid" 2>/dev/null || true
    fi
}
trap stop_dockerd EXIT
if ! docker info >/dev/null 2>&1; then
    say "starting dockerd (log: /tmp/chaospg-dockerd.log)"
    dockerd > /tmp/chaospg-dockerd.log 2>&1 &
    dockerd_pid=$!
    deadline=$(( $(date +%s) + 60 ))
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "$dockerd_pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
            tail -n 20 /tmp/chaospg-dockerd.log >&2
            printf 'docker/ci.sh: dockerd did not come up (log above)\n' >&2
            exit 2
        fi
        sleep 0.5
    done
fi

say "building images"
"$here/images/build.sh" --postgres all --proxy-publish "$publish"

say "compose cluster, PostgreSQL 15"
PG_IMAGE=chaospg/postgres:15 "$here/check-compose.sh"
say "compose cluster, PostgreSQL 17"
PG_IMAGE=chaospg/postgres:17 "$here/check-compose.sh"
