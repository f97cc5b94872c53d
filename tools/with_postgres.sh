#!/usr/bin/env bash
# Usage: tools/with_postgres.sh PG_URL COMMAND [ARG...]
#
# Runs COMMAND with DATABASE_URL set to a PostgreSQL database:
#  - PG_URL itself when a server answers at its host and port (as before);
#  - otherwise a throwaway server made for this run: initdb in a temporary folder, listening
#    on a free port of 127.0.0.1 only (its unix socket in that folder), trust auth, a database
#    `test`. It is stopped and its folder deleted when COMMAND ends, pass or fail (trap).
# Where initdb is missing and we are root, Debian's `postgresql` package is installed for its
# binaries (it also ships pg_trgm, which the migrations create). COMMAND's exit code is kept.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 PG_URL COMMAND [ARG...]" >&2; exit 2; }
pg_url=$1; shift
python=${PYTHON:-python3}

# Host and port of PG_URL (a SQLAlchemy URL: postgresql+psycopg://user@host:port/db).
read -r host port < <("$python" -c '
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
print(u.hostname or "localhost", u.port or 5432)' "$pg_url")

answering() {
    if command -v pg_isready >/dev/null; then
        pg_isready -q -h "$1" -p "$2" -t 3 2>/dev/null
    else  # no client tools here: a TCP connection will do
        "$python" -c 'import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 3)' \
            "$1" "$2" 2>/dev/null
    fi
}

if answering "$host" "$port"; then
    DATABASE_URL=$pg_url exec "$@"
fi

# --- No server there: a throwaway one. ---------------------------------------------------

bindir() {  # Debian keeps the server binaries out of PATH, one folder per major version.
    if command -v initdb >/dev/null; then
        dirname "$(readlink -f "$(command -v initdb)")"
    else
        { ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true; } | sort -V | tail -n 1
    fi
}
bin=$(bindir)
if [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "No PostgreSQL server at $host:$port and no initdb to start one:" \
             "run 'sudo apt-get install postgresql', or start a server for PG_URL." >&2
        exit 1
    fi
    echo "Installing Debian's postgresql package (for a throwaway test server)..."
    had_clusters=$(ls /etc/postgresql 2>/dev/null || true)
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # The package creates (and may start) a "main" cluster on port 5432: drop it, or the next
    # run would find it answering there, without a `test` database nor trust auth.
    if [ -z "$had_clusters" ] && command -v pg_lsclusters >/dev/null; then
        pg_lsclusters --no-header | while read -r version cluster _; do
            pg_dropcluster --stop "$version" "$cluster"
        done
    fi
    bin=$(bindir)
    [ -x "$bin/initdb" ] || { echo "Installed postgresql but found no initdb under /usr/lib/postgresql." >&2; exit 1; }
fi

# initdb refuses to run as root: as root, the server is run by an unprivileged user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
    owner=postgres
    id "$owner" >/dev/null 2>&1 || owner=nobody
    as_owner=(runuser -u "$owner" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/relais-pg.XXXXXX")
cleanup() {
    if [ -f "$tmp/data/postmaster.pid" ]; then
        (cd "$tmp" && "${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null) || true
    fi
    rm -rf "$tmp"
    echo "Throwaway PostgreSQL stopped and $tmp removed."
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
[ ${#as_owner[@]} -eq 0 ] || chown "$owner" "$tmp"
chmod 700 "$tmp"

free_port=$("$python" -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "No PostgreSQL server at $host:$port: starting a throwaway one on 127.0.0.1:$free_port ($tmp)."

cd "$tmp"  # the server's user may not be allowed into the caller's folder
"${as_owner[@]}" "$bin/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
# Durability is worthless for a server deleted after the run: skip the disk syncs.
"${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $free_port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
cd - >/dev/null

psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$free_port" -U postgres -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "CREATE DATABASE test"
if [ "$("${psql[@]}" -d test -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")" != 1 ]; then
    echo "The throwaway server lacks the pg_trgm extension (Debian ships it in postgresql-<version>)." >&2
    exit 1
fi

echo "Running $1 against it."
rc=0
DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$free_port/test" "$@" || rc=$?
exit "$rc"
