#!/usr/bin/env bash
# Runs tests/cases/*.txt against the sarhad binary ($SARHAD).  A case file:
#
#   # one line saying what the case checks
#   args: mrz --strict -
#   exit: 1
#   --- stdin
#   (text fed to standard input; optional)
#   --- stdout
#   (exact expected standard output; optional)
#   --- stderr-contains
#   (lines that must each appear in standard error; optional)
#
# Sourced by run-all.sh; sets cases_passed and cases_failed.
run_cases() {
    cases_passed=0
    cases_failed=0
    local tmp
    tmp=$(mktemp -d)
    for c in tests/cases/*.txt; do
        [ -f "$c" ] || continue
        awk -v dir="$tmp" '
            /^--- / { section = substr($0, 5); next }
            section == "" && /^args: / { print substr($0, 7) > (dir "/args"); next }
            section == "" && /^exit: / { print substr($0, 7) > (dir "/exit"); next }
            section != "" { print > (dir "/" section) }
        ' "$c"
        local want_exit=0 got_exit ok=1
        [ -f "$tmp/exit" ] && want_exit=$(cat "$tmp/exit")
        local -a args
        eval "args=($(cat "$tmp/args"))"
        if [ -f "$tmp/stdin" ]; then
            "$SARHAD" "${args[@]}" <"$tmp/stdin" >"$tmp/out" 2>"$tmp/err"
        else
            "$SARHAD" "${args[@]}" </dev/null >"$tmp/out" 2>"$tmp/err"
        fi
        got_exit=$?
        if [ "$got_exit" != "$want_exit" ]; then
            echo "FAIL $c: exit $got_exit, want $want_exit"; ok=0
        fi
        if [ -f "$tmp/stdout" ] && ! diff -u "$tmp/stdout" "$tmp/out" >"$tmp/diff"; then
            echo "FAIL $c: stdout differs"; head -n 30 "$tmp/diff"; ok=0
        fi
        if [ -f "$tmp/stderr-contains" ]; then
            while IFS= read -r want; do
                if ! grep -qF -- "$want" "$tmp/err"; then
                    echo "FAIL $c: stderr lacks: $want"; ok=0
                fi
            done <"$tmp/stderr-contains"
        fi
        if [ $ok -eq 1 ]; then cases_passed=$((cases_passed + 1)); else
            [ -s "$tmp/err" ] && head -n 5 "$tmp/err"
            cases_failed=$((cases_failed + 1)); fi
        rm -f "$tmp"/*
    done
    rm -rf "$tmp"
}
