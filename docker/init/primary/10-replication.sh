#!/usr/bin/env bash
# Runs once, on the primary's first start, against the entrypoint's temporary server (socket only), in both the
# official postgres image and ChaosPg's local one. It creates what streaming replicas need: a replication role
# whose password comes from the environment, one physical slot per replica, and a pg_hba.conf line that admits
# replication connections from the container's own network (replicas reach the primary through the proxy).
# wal_level, max_wal_senders and max_replication_slots are server command-line arguments (compose `command`):
# wal_level only changes with a restart, so ALTER SYSTEM + reload would not do.
set -euo pipefail

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set (see docker/.env.example)}"
: "${REPLICATION_SLOTS:=replica1}"

# The password reaches psql through its environment (\getenv), never through a command line that ps could show.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    --set role="$REPLICATION_USER" <<'SQL'
\getenv password REPLICATION_PASSWORD
CREATE ROLE :"role" WITH LOGIN REPLICATION PASSWORD :'password';
SQL

for slot in ${REPLICATION_SLOTS//,/ }; do
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
        --set slot="$slot" <<'SQL'
SELECT slot_name FROM pg_create_physical_replication_slot(:'slot');
SQL
done

printf '\n# streaming replicas (and pg_basebackup) from the compose network, through the proxy\n' >> "$PGDATA/pg_hba.conf"
printf 'host replication %s samenet scram-sha-256\n' "$REPLICATION_USER" >> "$PGDATA/pg_hba.conf"
