#!/bin/sh
# PostgreSQL entry point (docker/postgres/Dockerfile): initialises $PGDATA at the first start, then runs the server
# with SIGTERM turned into a fast shutdown. Runs as the user postgres. Arguments that start with "-" go to postgres
# (`-c name=value`); any other command runs instead of the server (`psql -h postgres ...`).
set -eu

case "${1:-}" in
    '' | -*) ;;
    *) exec "$@" ;;
esac

user="${POSTGRES_USER:-gateway}"
db="${POSTGRES_DB:-gateway}"
say() { printf 'postgres-entrypoint: %s\n' "$*" >&2; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    # podman-compose 1.0.3 leaves "${VAR:-}" as it is in a compose file: that is no password either
    # shellcheck disable=SC2016 # a literal ${, not an expansion
    case "${POSTGRES_PASSWORD:-}" in
        '' | '${'*)
            say "POSTGRES_PASSWORD is empty or unset: refusing to initialise $PGDATA without a password" \
                "(compose: SMIMEGW_STORE_PASSWORD in docker/.env)"
            exit 1 ;;
    esac
    if [ ! -w "$PGDATA" ]; then
        say "$PGDATA is not writable by uid $(id -u): chown -R 999:999 the volume's directory on the host"
        exit 1
    fi
    say "initialising $PGDATA: database $db owned by $user"
    initdb -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    # remote logins from any address, with a password; the compose network is the only way in
    printf '%s\n' 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -w -s -o "-c listen_addresses=''" start
    # the password goes from the environment to the server without appearing on a command line
    psql -q -v ON_ERROR_STOP=1 -U postgres -d postgres -v user="$user" -v db="$db" <<'SQL'
\getenv password POSTGRES_PASSWORD
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
    pg_ctl -D "$PGDATA" -w -s -m fast stop
    say "initialised"
fi

# PID 1 is this shell: postgres would treat SIGTERM as a "smart" shutdown, which waits for every client to leave.
# SIGTERM and SIGINT here become SIGINT to postgres: a fast shutdown, sessions ended, a checkpoint written.
postgres -D "$PGDATA" -c listen_addresses='*' "$@" &
pid=$!
signalled=
trap 'signalled=1; kill -INT "$pid" 2>/dev/null || true' TERM INT
while :; do
    status=0
    wait "$pid" || status=$?
    # a trapped signal ends `wait` early, before postgres has exited: wait again for its own exit status
    if [ -n "$signalled" ] && [ "$status" -gt 128 ]; then
        signalled=
        continue
    fi
    break
done
exit "$status"
