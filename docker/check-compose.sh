#!/usr/bin/env bash
# Brings the compose cluster up, proves that the replica streams through the proxy and that a row written on the
# primary can be read on the replica, then removes everything it created (containers, network, volumes).
# Exits 0 when every check passed, 1 when a check failed, 2 when the environment is not ready.
#
#   docker/check-compose.sh [--no-proxy]
#
#   --no-proxy   use compose.no-proxy.yaml: the replica streams straight from the primary (for when no
#                Toxiproxy-compatible image exists yet); the checks then expect the direct path.
#
# Images: PG_IMAGE (default chaospg/postgres:15) and TOXIPROXY_IMAGE (default chaospg/toxiproxy:latest), both
# built by images/build.sh. Passwords are generated for this run and never printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project=chaospg-compose
deadline_seconds="${CHECK_DEADLINE_SECONDS:-180}"

no_proxy=false
case "${1:-}" in
    "") ;;
    --no-proxy) no_proxy=true ;;
    *) printf 'check-compose.sh: unknown argument %s (only --no-proxy)\n' "$1" >&2; exit 2 ;;
esac

now_ms() { date +%s%3N; }
say() { printf '[check-compose %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
env_error() { printf 'check-compose.sh: %s\n' "$*" >&2; exit 2; }

export PG_IMAGE="${PG_IMAGE:-chaospg/postgres:15}"
export TOXIPROXY_IMAGE="${TOXIPROXY_IMAGE:-chaospg/toxiproxy:latest}"
export POSTGRES_USER=postgres POSTGRES_DB=chaospg REPLICATION_USER=replicator
POSTGRES_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
REPLICATION_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export POSTGRES_PASSWORD REPLICATION_PASSWORD

# Host ports: free ones picked now (other programs on the machine may hold compose.yaml's defaults), unless set.
free_ports() {
    python3 -c 'import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))'
}
command -v python3 >/dev/null || env_error "python3 is needed to pick free ports"
read -r p1 p2 p3 p4 p5 <<< "$(free_ports)"
export PRIMARY_PORT="${PRIMARY_PORT:-$p1}" REPLICA1_PORT="${REPLICA1_PORT:-$p2}"
export PROXY_PRIMARY_PORT="${PROXY_PRIMARY_PORT:-$p3}" PROXY_REPLICA1_PORT="${PROXY_REPLICA1_PORT:-$p4}"
export TOXIPROXY_API_PORT="${TOXIPROXY_API_PORT:-$p5}"

docker info >/dev/null 2>&1 || env_error "no Docker daemon answers 'docker info' (start dockerd)"
if docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null; then
    compose_cmd=(docker-compose)
else
    env_error "neither 'docker compose' nor 'docker-compose' is installed (apt-get install -y docker-compose)"
fi
files=(-f "$here/compose.yaml")
if $no_proxy; then files+=(-f "$here/compose.no-proxy.yaml"); fi
compose() { "${compose_cmd[@]}" --project-name "$project" --project-directory "$here" "${files[@]}" "$@"; }

docker image inspect "$PG_IMAGE" >/dev/null 2>&1 \
    || env_error "image $PG_IMAGE is missing: build it with docker/images/build.sh (or set PG_IMAGE)"
if ! $no_proxy; then
    docker image inspect "$TOXIPROXY_IMAGE" >/dev/null 2>&1 \
        || env_error "image $TOXIPROXY_IMAGE is missing: build it with docker/images/build.sh --proxy-publish DIR, or run with --no-proxy"
fi
leftovers="$(docker ps -aq --filter "label=com.docker.compose.project=$project")"
[ -z "$leftovers" ] || env_error "containers of project $project already exist: run '${compose_cmd[*]} -p $project -f $here/compose.yaml down -v' first"

failed=false
fail() {
    printf 'check-compose.sh: FAILED: %s\n' "$*" >&2
    failed=true
    exit 1
}

teardown() {
    local rc=$?
    if $failed || [ "$rc" != 0 ]; then
        printf '\n--- compose ps ---\n' >&2
        compose ps >&2 || true
        printf '\n--- last log lines ---\n' >&2
        compose logs --no-color --tail=40 >&2 || true
    fi
    local start
    start="$(now_ms)"
    compose down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || true
    say "down -v took $(( $(now_ms) - start )) ms"
    local left
    left="$(docker ps -aq --filter "label=com.docker.compose.project=$project")$(docker volume ls -q --filter "label=com.docker.compose.project=$project")$(docker network ls -q --filter "label=com.docker.compose.project=$project")"
    if [ -n "$left" ]; then
        printf 'check-compose.sh: FAILED: containers, volumes or networks of %s are left behind\n' "$project" >&2
        rc=1
    fi
    exit "$rc"
}
trap teardown EXIT

# Container of a service, found by the labels compose puts on it (docker-compose 1.x is too slow to ask in a loop).
container_of() {
    docker ps -aq --filter "label=com.docker.compose.project=$project" \
        --filter "label=com.docker.compose.service=$1"
}

# psql inside a node's container, over the socket (trusted there): no password needed and none on a command line.
sql() {
    local service="$1" query="$2"
    docker exec "$(container_of "$service")" \
        psql -X -q -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tA -F '|' -c "$query"
}

# Polls COMMAND (a shell function name and arguments) until it succeeds or the deadline passes; a command may put
# what it saw in $observed for the failure message.
observed=""
wait_for() {
    local what="$1" deadline
    shift
    deadline=$(( $(date +%s) + deadline_seconds ))
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not reached within $deadline_seconds s (last seen: '${observed:-}')"
        sleep 0.25
    done
}

# True when every service named is healthy; fails the check at once when one of them has stopped.
healthy() {
    local s state
    for s in "$@"; do
        state="$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' \
            "$(container_of "$s")" 2>/dev/null)" || return 1
        case "$state" in
            "running healthy") ;;
            running*|created*|restarting*) return 1 ;;
            *) fail "$s stopped before it became healthy ($state)" ;;
        esac
    done
}
ip_of() { docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(container_of "$1")"; }

say "compose: ${compose_cmd[*]}; host ports: primary $PRIMARY_PORT, replica1 $REPLICA1_PORT, proxy $PROXY_PRIMARY_PORT/$PROXY_REPLICA1_PORT, API $TOXIPROXY_API_PORT"
say "PG_IMAGE=$PG_IMAGE; $(if $no_proxy; then echo 'PROXY BYPASSED (compose.no-proxy.yaml)'; else echo "TOXIPROXY_IMAGE=$TOXIPROXY_IMAGE"; fi)"
t0="$(now_ms)"
up_log="$(compose up -d 2>&1)" || fail "compose up -d failed: $up_log"
say "up -d returned after $(( $(now_ms) - t0 )) ms"

observed=""
wait_for "primary and replica1 healthy" healthy primary replica1
say "primary and replica1 healthy after $(( $(now_ms) - t0 )) ms"

if $no_proxy; then
    expected_client="$(ip_of replica1)"
    expected_sender=primary
    expected_port=5432
else
    expected_client="$(ip_of toxiproxy)"
    expected_sender=toxiproxy
    expected_port=26432
fi

streaming_on_primary() {
    observed="$(sql primary "SELECT host(client_addr) || '|' || state FROM pg_stat_replication WHERE application_name = 'replica1'")"
    [ "$observed" = "$expected_client|streaming" ]
}
wait_for "pg_stat_replication on primary shows replica1 streaming from $expected_client" streaming_on_primary
say "streaming after $(( $(now_ms) - t0 )) ms (from compose up)"

replication="$(sql primary "SELECT application_name, host(client_addr), state, sync_state FROM pg_stat_replication")"
say "primary pg_stat_replication: $replication"
[ "$(printf '%s\n' "$replication" | wc -l)" = 1 ] || fail "pg_stat_replication has more than one row: $replication"

slot="$(sql primary "SELECT slot_name || '|' || slot_type || '|' || active FROM pg_replication_slots")"
say "primary pg_replication_slots: $slot"
[ "$slot" = "replica1|physical|true" ] || fail "expected the physical slot replica1 to be active, got: $slot"

receiver="$(sql replica1 "SELECT status, sender_host, sender_port, slot_name FROM pg_stat_wal_receiver")"
say "replica1 pg_stat_wal_receiver: $receiver"
[ "$receiver" = "streaming|$expected_sender|$expected_port|replica1" ] \
    || fail "expected pg_stat_wal_receiver streaming|$expected_sender|$expected_port|replica1, got: $receiver"

[ "$(sql replica1 "SELECT pg_is_in_recovery()")" = t ] || fail "replica1 is not in recovery"
# shellcheck disable=SC2016 # PGDATA is the container's, expanded there
[ "$(docker exec "$(container_of replica1)" sh -c 'test -f "$PGDATA/standby.signal" && ! test -e "$PGDATA/recovery.conf" && echo ok')" = ok ] \
    || fail "replica1's PGDATA has no standby.signal (or has a recovery.conf)"

token="check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
sql primary "CREATE TABLE IF NOT EXISTS chaospg_check (id bigserial PRIMARY KEY, token text NOT NULL); INSERT INTO chaospg_check (token) VALUES ('$token')" >/dev/null
t1="$(now_ms)"
row_on_replica() {
    observed="$(sql replica1 "SELECT count(*) FROM chaospg_check WHERE token = '$token'")"
    [ "$observed" = 1 ]
}
wait_for "row written on primary visible on replica1" row_on_replica
say "row written on primary read on replica1 after $(( $(now_ms) - t1 )) ms"

# Clients on the host reach both nodes through the proxy's published ports (links client->primary, client->replica1).
if ! $no_proxy && command -v psql >/dev/null; then
    for target in "primary:$PROXY_PRIMARY_PORT" "replica1:$PROXY_REPLICA1_PORT"; do
        got="$(PGPASSWORD="$POSTGRES_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -h 127.0.0.1 -p "${target#*:}" \
            -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "SELECT count(*) FROM chaospg_check WHERE token = '$token'")" \
            || fail "psql to ${target%%:*} through the proxy at 127.0.0.1:${target#*:} failed"
        [ "$got" = 1 ] || fail "${target%%:*} through the proxy at 127.0.0.1:${target#*:} did not return the row"
        say "client->${target%%:*} through the proxy (127.0.0.1:${target#*:}): row read"
    done
elif ! $no_proxy; then
    say "SKIPPED: reading through the client proxy ports (no psql on the host)"
fi

# A fault on the link replica1->primary must cut the WAL stream, and healing it must bring the stream back.
if ! $no_proxy && command -v curl >/dev/null; then
    api="http://127.0.0.1:$TOXIPROXY_API_PORT"
    set_link() {
        local code
        code="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
            --data "{\"enabled\": $1}" "$api/proxies/replica1-primary")" || fail "the Toxiproxy API at $api did not answer"
        [ "$code" = 200 ] || fail "POST $api/proxies/replica1-primary {enabled: $1} answered $code"
    }
    stream_gone() {
        observed="$(sql primary "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'replica1'")"
        [ "$observed" = 0 ]
    }
    t2="$(now_ms)"
    set_link false
    wait_for "WAL stream cut after disabling proxy replica1-primary" stream_gone
    say "link replica1->primary disabled: stream gone from pg_stat_replication after $(( $(now_ms) - t2 )) ms"
    token="check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    sql primary "INSERT INTO chaospg_check (token) VALUES ('$token')" >/dev/null
    t2="$(now_ms)"
    set_link true
    wait_for "pg_stat_replication on primary shows replica1 streaming again" streaming_on_primary
    wait_for "row written during the partition visible on replica1 after healing" row_on_replica
    say "link healed: streaming again and the row written during the partition read on replica1 after $(( $(now_ms) - t2 )) ms"
elif ! $no_proxy; then
    say "SKIPPED: cutting the replica1->primary link (no curl on the host)"
fi

say "PASS: replica1 streams $(if $no_proxy; then echo 'directly from the primary (proxy bypassed)'; else echo 'through the proxy'; fi); the row written on the primary was read on replica1"
