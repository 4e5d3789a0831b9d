# timing.sh: how bench/throughput.sh and bench/sobol.sh time one run (sourced, not run):
# wait for an idle machine, then run a command under /usr/bin/time and record its wall
# seconds, peak RSS, CPU seconds and the CPU seconds that other processes used meanwhile.
# Expects WORK (a scratch folder), QUIET_TIMEOUT (seconds) and a function log MESSAGE.

TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=""

# busy_jiffies: CPU time the whole machine has spent busy since boot, in clock ticks.
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# wait_quiet: wait (up to $QUIET_TIMEOUT s) until the machine has been at most 10 % busy over one
# second, so that a run does not start on top of someone's build or test suite.
wait_quiet() {
    local waited=0 b0 b1 hz
    hz="$(getconf CLK_TCK)"
    while :; do
        b0="$(busy_jiffies)"; sleep 1; b1="$(busy_jiffies)"
        if [ $((b1 - b0)) -le $((hz * $(nproc) / 10)) ]; then return 0; fi
        waited=$((waited + 1))
        if [ "$waited" -ge "$QUIET_TIMEOUT" ]; then
            log "warning: machine still busy after ${QUIET_TIMEOUT}s; running anyway"
            return 0
        fi
    done
}

# run_one NAME REPEAT COMMAND...: the tool writes $WORK/NAME.REPEAT.json itself; this writes
# $WORK/NAME.REPEAT.meta: process wall seconds, peak RSS in KiB, the process's CPU seconds
# (user + system) and the CPU seconds that other processes used meanwhile (machine busy time
# less this process's), which says whether the run was disturbed.
run_one() {
    local name="$1" rep="$2"
    shift 2
    local t0 t1 b0 b1 rss="" own="" other="null"
    wait_quiet
    t0="$(date +%s.%N)"; b0="$(busy_jiffies)"
    if [ -n "$TIME" ]; then
        "$TIME" -f '%M %U %S' -o "$WORK/$name.$rep.time" "$@" >/dev/null
        read -r rss u sy < <(tail -n 1 "$WORK/$name.$rep.time")
        own="$(awk -v u="$u" -v s="$sy" 'BEGIN { print u + s }')"
    else
        "$@" >/dev/null
    fi
    b1="$(busy_jiffies)"; t1="$(date +%s.%N)"
    if [ -n "$own" ]; then
        other="$(awk -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v own="$own" \
            'BEGIN { o = b / hz - own; printf "%.2f", o < 0 ? 0 : o }')"
    fi
    printf '{"process_seconds": %s, "max_rss_kib": %s, "cpu_seconds": %s, "other_cpu_seconds": %s}\n' \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "${rss:-null}" \
        "${own:-null}" "$other" >"$WORK/$name.$rep.meta"
}
