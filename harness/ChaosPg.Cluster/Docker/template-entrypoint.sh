#!/bin/sh
# Entrypoint of a ChaosPg Docker node started from its image's template (see DockerTemplate.cs): the container's own
# filesystem already holds PGDATA, a copy-on-write layer over the data directory that the init scripts of docker/init
# made once. The harness hands requests over as files in /chaospg (the Docker archive API):
# - standby.conf: this run's primary_conninfo and primary_slot_name, which replace the ones in postgresql.auto.conf.
#   On its first start a replica waits for them: they only work once the primary has this run's passwords, so the
#   harness sends SIGUSR1 then.
# - rewind-source: the connection string of the new primary; the stopped node is rewound from it with pg_rewind
#   (as postgres) and becomes its standby.
# Then the image's own entrypoint finds a database and starts `postgres` with the container's arguments.
set -eu

: "${PGDATA:?PGDATA must be set}"
: "${STANDBY_WAIT_SECONDS:=120}"
requests=/chaospg

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

go=0
trap 'go=1' USR1
if [ ! -e "$requests/started" ] && [ -e "$PGDATA/standby.signal" ]; then
    waited=0
    until [ "$go" = 1 ]; do
        if [ "$waited" -ge $((STANDBY_WAIT_SECONDS * 50)) ]; then
            echo "template-entrypoint.sh: no standby settings from the harness within $STANDBY_WAIT_SECONDS s" >&2
            exit 1
        fi
        sleep 0.02
        waited=$((waited + 1))
    done
fi
trap - USR1

if [ -e "$requests/rewind-source" ]; then
    source_server="$(cat "$requests/rewind-source")"
    rm -f "$requests/rewind-source"
    # A killed server's lock file names pid 1, which is this shell now: the server is gone, the file is stale.
    rm -f "$PGDATA/postmaster.pid"
    if ! as_postgres pg_rewind --target-pgdata="$PGDATA" --source-server="$source_server"; then
        echo "template-entrypoint.sh: pg_rewind from the new primary failed (above); the node stays down" >&2
        exit 1
    fi
    as_postgres touch "$PGDATA/standby.signal"
fi

if [ -e "$requests/standby.conf" ]; then
    # As root, GNU sed -i keeps the file's owner (postgres).
    sed -i -e '/^primary_conninfo[ =]/d' -e '/^primary_slot_name[ =]/d' "$PGDATA/postgresql.auto.conf"
    cat "$requests/standby.conf" >> "$PGDATA/postgresql.auto.conf"
    rm -f "$requests/standby.conf"
fi
touch "$requests/started"

exec docker-entrypoint.sh "$@"
