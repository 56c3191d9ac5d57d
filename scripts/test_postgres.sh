#!/usr/bin/env bash
# Run the audit-store tests against a real, throw-away PostgreSQL server.
#
# Installs Debian's postgresql if it is missing (needs root), creates a cluster in a temporary
# folder, starts it on a free port on 127.0.0.1, runs tests/test_store*.py and tests/test_recheck.py
# with CLAUSE_AUDIT_TEST_DB pointing at it, then stops it and removes the folder.
# Usage: scripts/test_postgres.sh [extra pytest arguments]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
    echo "test_postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BINDIR="$(find_bindir)"
fi

if ! "$PYTHON" -c "import psycopg" 2>/dev/null; then
    "$PYTHON" -m pip install -q "psycopg[binary]>=3.1"
fi

WORK="$(mktemp -d /tmp/clause-audit-pg.XXXXXX)"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# initdb and the server refuse to run as root: run them as an unprivileged user
RUN=()
if [ "$(id -u)" = 0 ]; then
    PGUSER_OS="${PGUSER_OS:-postgres}"
    id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home "$PGUSER_OS"
    chown "$PGUSER_OS" "$WORK"
    RUN=(runuser -u "$PGUSER_OS" --)
fi

stop() {
    "${RUN[@]}" "$BINDIR/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap stop EXIT

"${RUN[@]}" "$BINDIR/initdb" -D "$WORK/data" -U clause_audit --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN[@]}" "$BINDIR/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off" start >/dev/null
"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U clause_audit clause_audit_test
echo "test_postgres: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

cd "$ROOT"
CLAUSE_AUDIT_TEST_DB="postgresql+psycopg://clause_audit@127.0.0.1:$PORT/clause_audit_test" \
    "$PYTHON" -m pytest -q tests/test_store.py tests/test_store_cli.py tests/test_store_migrations.py \
    tests/test_recheck.py "$@"
