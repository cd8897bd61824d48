#!/bin/sh
# Entrypoint of a ChaosPg Docker node made from its image's template (see DockerTemplate.cs). On the first start (no
# database in PGDATA) it copies the template's data directory, which the init scripts of docker/init made once, into
# PGDATA. A replica's copy already has standby.signal (pg_basebackup -R made it). Its streaming settings are this
# run's, and they only work once the primary has this run's passwords. So the replica waits for the harness: it hands
# over /chaospg/standby.conf, then sends SIGUSR1 once the primary is ready. The file's settings replace the template's
# primary_conninfo and primary_slot_name. Then the image's own entrypoint takes over, finds a database, and starts
# `postgres` with the container's arguments.
set -eu

: "${TEMPLATE:?TEMPLATE must name the template data directory to copy}"
: "${PGDATA:?PGDATA must be set}"
: "${STANDBY_WAIT_SECONDS:=120}"

go=0
trap 'go=1' USR1

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    # A tar pipe run as root keeps owners and modes; it writes the files faster than cp -a, which copies extended
    # attributes file by file. The template's WAL segment is sparse past its last record: GNU tar's --sparse keeps the
    # holes, so 16 MB of zeros are not written again (busybox tar has no --sparse and writes them).
    sparse=
    if tar --version 2>/dev/null | grep -q GNU; then sparse=--sparse; fi
    tar -C "$TEMPLATE" $sparse -cf - . | tar -C "$PGDATA" -xpf -
    if [ -e "$PGDATA/standby.signal" ]; then
        waited=0
        until [ "$go" = 1 ]; do
            if [ "$waited" -ge $((STANDBY_WAIT_SECONDS * 50)) ]; then
                echo "template-entrypoint.sh: no standby settings from the harness within $STANDBY_WAIT_SECONDS s" >&2
                exit 1
            fi
            sleep 0.02
            waited=$((waited + 1))
        done
        sed -i -e '/^primary_conninfo[ =]/d' -e '/^primary_slot_name[ =]/d' "$PGDATA/postgresql.auto.conf"
        cat /chaospg/standby.conf >> "$PGDATA/postgresql.auto.conf"
    fi
    trap - USR1
fi

exec docker-entrypoint.sh "$@"
