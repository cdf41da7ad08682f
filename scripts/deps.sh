#!/usr/bin/env bash
# Install the Debian packages sarhad needs to build, test and run.  As root it
# runs apt-get; otherwise it prints the exact apt-get line and fails, so a
# missing package is never a mystery link error later on.
set -eu

# One list, grouped by purpose.  Every make target that needs a package calls
# this script, so adding a dependency means adding it here and nowhere else.
build="make gcc pkg-config clang clang-format clang-tidy libclang-rt-14-dev"
libs="libsqlite3-dev libmicrohttpd-dev libsodium-dev libjansson-dev libicu-dev libpq-dev libxml2-dev"
tools="sqlite3 jq openssl valgrind wrk nodejs npm postgresql curl chromium systemd"
packages="$build $libs $tools"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# nodejs from another origin may provide npm itself.
case " $missing " in *" npm "*) command -v npm >/dev/null 2>&1 && missing=${missing/ npm/} ;; esac

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "sarhad needs these Debian packages:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
