# lib.sh - what the shell tests share (sourced, not run): the "ok"/"FAIL"
# lines with their expect helper, which set `failed` on a failure, and the
# wait for `sarhad serve --listen 127.0.0.1:0` to say which port it took.

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=1; }
expect() { # expect NAME STATUS WANT_STATUS [FILE PATTERN]
    if [ "$2" -ne "$3" ]; then
        bad "$1 (exit $2, want $3)"
        [ $# -ge 4 ] && head -n 5 "$4"
        return
    fi
    if [ $# -ge 5 ] && ! grep -qF -- "$5" "$4"; then
        bad "$1 (no '$5' in output)"; head -n 5 "$4"; return
    fi
    ok "$1"
}

# served_port FILE: the port the server printed into FILE (its standard
# output), waiting up to twenty seconds for it (a server recovering a
# killed store's log on a loaded machine has taken more than five); ""
# when it never came.
served_port() {
    local port=""
    for _ in $(seq 400); do
        port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1")
        [ -n "$port" ] && break
        sleep 0.05
    done
    echo "$port"
}
