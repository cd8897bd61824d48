#!/usr/bin/env bash
# Entrypoint of ChaosPg's locally built PostgreSQL images: the part of the official `postgres` image's contract that
# the compose cluster and the harness rely on, so either image can be used.
#
# - `docker run IMAGE -c name=value ...` runs `postgres -c name=value ...`; any other command is run as given.
# - Started as root, it makes PGDATA and the socket directory belong to postgres and re-executes itself as postgres.
# - On the first start (no PGDATA/PG_VERSION): initdb with POSTGRES_USER (default postgres) and POSTGRES_PASSWORD
#   (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_INITDB_ARGS; local socket and 127.0.0.1 connections
#   are trusted (inside the container only), every other host must authenticate with POSTGRES_HOST_AUTH_METHOD
#   (default scram-sha-256). Then, on a temporary server that listens on the socket only and gets the same `-c`
#   arguments: create POSTGRES_DB (default POSTGRES_USER) and run /docker-entrypoint-initdb.d/*.sh (executable ones
#   are run, others sourced) and *.sql in name order, stop it, and start the real server.
# - VAR_FILE (e.g. POSTGRES_PASSWORD_FILE) reads VAR from a file, for Docker secrets.
set -Eeuo pipefail

# Sets VAR from VAR or VAR_FILE (not both), else DEFAULT; exported so init scripts see it.
file_env() {
    local var="$1" file_var="${1}_FILE" def="${2:-}" val
    if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
        printf 'docker-entrypoint.sh: both %s and %s are set (they are exclusive)\n' "$var" "$file_var" >&2
        exit 1
    fi
    val="$def"
    if [ -n "${!var:-}" ]; then
        val="${!var}"
    elif [ -n "${!file_var:-}" ]; then
        val="$(< "${!file_var}")"
    fi
    export "$var"="$val"
    unset "$file_var"
}

setup_env() {
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    : "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
    export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
}

# Runs psql against the temporary server; stops at the first error.
process_sql() {
    PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc \
        --username "$POSTGRES_USER" --dbname "${PGDATABASE:-$POSTGRES_DB}" "$@"
}

init_database() {
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        cat >&2 <<'EOF'
docker-entrypoint.sh: the database is not initialized and POSTGRES_PASSWORD is not set.
  Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty password for the superuser,
  or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without a password (never do that outside a test).
EOF
        exit 1
    fi
    # POSTGRES_INITDB_ARGS is split on blanks on purpose, as in the official image.
    # shellcheck disable=SC2086
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS

    printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

    # The temporary server gets the same -c arguments as the real one, but no TCP listener: nothing outside the
    # container can reach a half-initialized database, and a TCP health check stays red until the real start.
    local args=("$@")
    if [ "${args[0]:-}" = postgres ]; then args=("${args[@]:1}"); fi
    args+=(-c listen_addresses= -p "${PGPORT:-5432}")
    PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -w -o "$(printf '%q ' "${args[@]}")" start

    export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
    if [ "$POSTGRES_DB" != postgres ]; then
        local exists
        exists="$(PGDATABASE=postgres process_sql --tuples-only --no-align --set db="$POSTGRES_DB" <<'EOF'
SELECT 1 FROM pg_database WHERE datname = :'db';
EOF
)"
        if [ -z "$exists" ]; then
            PGDATABASE=postgres process_sql --set db="$POSTGRES_DB" <<'EOF'
CREATE DATABASE :"db";
EOF
        fi
    fi

    local f
    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] || continue
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    printf 'docker-entrypoint.sh: running %s\n' "$f"
                    "$f"
                else
                    printf 'docker-entrypoint.sh: sourcing %s\n' "$f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql)
                printf 'docker-entrypoint.sh: running %s\n' "$f"
                process_sql -f "$f"
                ;;
            *) printf 'docker-entrypoint.sh: ignoring %s (only *.sh and *.sql are run)\n' "$f" ;;
        esac
    done
    unset PGPASSWORD

    PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
    printf 'docker-entrypoint.sh: PostgreSQL init process complete; ready for start up.\n'
}

main() {
    if [ $# -eq 0 ] || [ "${1:0:1}" = - ]; then
        set -- postgres "$@"
    fi
    if [ "$1" != postgres ]; then
        exec "$@"
    fi
    setup_env
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$PGDATA"
        chown postgres:postgres "$PGDATA"
        chmod 00700 "$PGDATA"
        mkdir -p /var/run/postgresql
        chown postgres:postgres /var/run/postgresql
        chmod 3777 /var/run/postgresql
        exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
    fi
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        init_database "$@"
    else
        printf 'docker-entrypoint.sh: PGDATA %s already holds a database; skipping initialization\n' "$PGDATA"
    fi
    exec "$@"
}

main "$@"
