#!/usr/bin/env bash
# A throwaway PostgreSQL server for lesion's tests, on 127.0.0.1 and a free port,
# with its data in a fresh temporary folder.
#
#   eval "$(bash .ci/postgres-dev.sh)"      # start one; sets LESION_TEST_POSTGRES
#   swift test                              # the store tests now run on PostgreSQL too
#   bash .ci/postgres-dev.sh stop DIR       # stop it and delete DIR (printed at start)
#
# Sourced (as .ci/run does), it only defines lesion_pg_start and lesion_pg_stop.
# As root the server runs as the `postgres` user (or `lesionci`, created if needed),
# since PostgreSQL refuses to run as root.

lesion_pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] && command -v pg_config >/dev/null; then dir=$(pg_config --bindir); fi
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres-dev: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
    return 1
  fi
  echo "$dir"
}

lesion_pg_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' && return
  fi
  local port
  for port in $(seq 54320 54420); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "postgres-dev: no free port found" >&2
  return 1
}

# Runs a command as the unprivileged owner of the cluster.
lesion_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$LESION_PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

# Starts a server; sets LESION_PG_DIR, LESION_PG_PORT and LESION_TEST_POSTGRES.
lesion_pg_start() {
  local bindir
  bindir=$(lesion_pg_bindir) || return 1
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then
      LESION_PG_OWNER=postgres
    else
      id lesionci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lesionci
      LESION_PG_OWNER=lesionci
    fi
  else
    LESION_PG_OWNER=$(id -un)
  fi
  LESION_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lesion-pg.XXXXXX") || return 1
  [ "$(id -u)" -eq 0 ] && chown "$LESION_PG_OWNER" "$LESION_PG_DIR"
  LESION_PG_PORT=$(lesion_pg_free_port) || return 1
  lesion_pg_as_owner "$bindir/initdb" -D "$LESION_PG_DIR/data" -U lesion --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$LESION_PG_DIR/initdb.log" 2>&1 || {
    cat "$LESION_PG_DIR/initdb.log" >&2
    return 1
  }
  # A throwaway cluster: durability off makes CREATE DATABASE and commits fast.
  # The settings go into the configuration file, so that a restart keeps them.
  cat >>"$LESION_PG_DIR/data/postgresql.conf" <<SETTINGS
listen_addresses = '127.0.0.1'
port = $LESION_PG_PORT
unix_socket_directories = '$LESION_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
SETTINGS
  lesion_pg_restart "$LESION_PG_DIR" || return 1
  LESION_TEST_POSTGRES="host=127.0.0.1 port=$LESION_PG_PORT user=lesion dbname=postgres"
  export LESION_PG_DIR LESION_PG_PORT LESION_PG_OWNER LESION_TEST_POSTGRES
}

# Starts the server of DIR again (after a stop, e.g. the fault tests' `pg_ctl stop -m immediate`).
lesion_pg_restart() {
  local dir=$1 bindir
  bindir=$(lesion_pg_bindir) || return 1
  LESION_PG_OWNER=${LESION_PG_OWNER:-$(stat -c %U "$dir/data")}
  lesion_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
    cat "$dir/server.log" >&2
    return 1
  }
}

# Stops the server in DIR (default: LESION_PG_DIR) and deletes the folder.
lesion_pg_stop() {
  local dir=${1:-${LESION_PG_DIR:-}} bindir
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  bindir=$(lesion_pg_bindir) || bindir=
  if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u "$(stat -c %U "$dir/data")" -- "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    else
      "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-start}" in
    start)
      lesion_pg_start
      echo "# PostgreSQL on 127.0.0.1:$LESION_PG_PORT, data and log in $LESION_PG_DIR" >&2
      echo "# stop it with: bash .ci/postgres-dev.sh stop $LESION_PG_DIR" >&2
      echo "export LESION_TEST_POSTGRES='$LESION_TEST_POSTGRES'"
      ;;
    stop)
      lesion_pg_stop "${2:?usage: postgres-dev.sh stop DIR}"
      ;;
    *)
      echo "usage: postgres-dev.sh [start | stop DIR]" >&2
      exit 2
      ;;
  esac
fi
