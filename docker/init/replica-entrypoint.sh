#!/usr/bin/env bash
# Entrypoint of a streaming replica, for the official postgres image and ChaosPg's local one alike.
# On the first start (no database in PGDATA) it waits for the primary at PRIMARY_HOST:PRIMARY_PORT (the proxy),
# clones it with pg_basebackup -R -S REPLICATION_SLOT (which writes standby.signal and primary_conninfo into
# postgresql.auto.conf; recovery.conf no longer exists since PostgreSQL 12), and then hands over to the image's own
# docker-entrypoint.sh, which finds a database and starts `postgres` with the container's arguments.
# The clone is made next to PGDATA and renamed into place, so an interrupted clone is redone on the next start.
set -euo pipefail

: "${PRIMARY_HOST:?PRIMARY_HOST must name the primary (or the proxy in front of it)}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set (see docker/.env.example)}"
: "${REPLICATION_SLOT:?REPLICATION_SLOT must name the physical slot of this replica on the primary}"
: "${REPLICA_WAIT_SECONDS:=120}"
export PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"

if [ "$(id -u)" = 0 ]; then
    parent="$(dirname "$PGDATA")"
    mkdir -p "$parent"
    chown postgres:postgres "$parent"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    deadline=$(( $(date +%s) + REPLICA_WAIT_SECONDS ))
    until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -d postgres -t 2; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            printf 'replica-entrypoint.sh: the primary at %s:%s did not accept connections within %s s\n' \
                "$PRIMARY_HOST" "$PRIMARY_PORT" "$REPLICA_WAIT_SECONDS" >&2
            exit 1
        fi
        sleep 0.2
    done
    rm -rf "$PGDATA.partial"
    printf 'replica-entrypoint.sh: cloning %s:%s with slot %s\n' "$PRIMARY_HOST" "$PRIMARY_PORT" "$REPLICATION_SLOT"
    # -R copies these options into primary_conninfo. The walreceiver ignores connect_timeout for its own connects,
    # so tcp_user_timeout bounds them too: a lost SYN fails after 5 s instead of the kernel's two minutes of retries.
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --dbname="connect_timeout=2 tcp_user_timeout=5000" \
        --host="$PRIMARY_HOST" --port="$PRIMARY_PORT" \
        --username="$REPLICATION_USER" --no-password --pgdata="$PGDATA.partial" \
        --write-recovery-conf --slot="$REPLICATION_SLOT" --wal-method=stream --checkpoint=fast
    if [ -d "$PGDATA" ]; then rmdir "$PGDATA"; fi
    mv "$PGDATA.partial" "$PGDATA"
fi

exec docker-entrypoint.sh "$@"
