#!/bin/bash
# contrib/lb-testbed end to end: nftables round robin over three nsrun
# backends gives each exactly a third; a lossy backend shows failures or
# retransmission delays that the healthy ones do not; a rate-limited one
# shows latency; nothing is left behind.
. "$(dirname "$0")/lib.sh"
plan 10

# row PHASE BACKEND: that backend's row of the table of phase PHASE.
row() { awk -v p="== $1." -v b="$2" 'index($0, p) == 1 { on = 1; next } /^== / { on = 0 } on && $1 == b' "$NSRT_TMP/out"; }
# summary PHASE: the "N answered, N failed" line of phase PHASE.
summary() { awk -v p="== $1." 'index($0, p) == 1 { on = 1; next } /^== / { on = 0 } on && / answered, /' "$NSRT_TMP/out"; }
# col PHASE BACKEND N: field N of that row (3 sent, 4 answered, 5 failed, 6 p50, 7 p95).
col() { row "$1" "$2" | awk -v n="$3" '{ print $n }'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
times() { awk -v x="$1" -v k="$2" 'BEGIN { print x * k }'; }
# hurt FAILED P95: failures, or retransmission delays (200 ms at least).
hurt() { [ "$1" -gt 0 ] || gt "$2" 199; }

NSRUN=$NSRUN "$NSRT_ROOT/contrib/lb-testbed/run.sh" >"$NSRT_TMP/out" 2>"$NSRT_TMP/err"
is "$?" 0 "the example runs to the end"
sed 's/^/# /' "$NSRT_TMP/out"
[ -s "$NSRT_TMP/err" ] && sed 's/^/# stderr: /' "$NSRT_TMP/err"

dist=$(for b in b1 b2 b3; do row 1 "$b" | awk '{ printf "%s:%s/%s/%s ", $1, $3, $4, $5 }'; done)
is "$dist" "b1:100/100/0 b2:100/100/0 b3:100/100/0 " "round robin: each backend sent and answered exactly 100 of 300"
like "$(summary 1)" '^300 answered, 0 failed ' "  no failure while all are healthy"

is "$(col 2 b1 4)/$(col 2 b2 4)" "100/100" "--loss on b3: the healthy backends answer all their requests"
is "$(col 2 b3 3)" 100 "  the balancer keeps sending b3 its third"
b3=$(row 2 b3)
ok "  b3 fails requests or waits on retransmissions: $b3" hurt "$(col 2 b3 5)" "$(col 2 b3 7)"
ok "  b3's p95 ($(col 2 b3 7) ms) over 3 times b1's ($(col 2 b1 7) ms)" gt "$(col 2 b3 7)" "$(times "$(col 2 b1 7)" 3)"

ok "--rate on b3: its median answer takes $(col 3 b3 6) ms, over 33 (4 KiB at 1mbit)" gt "$(col 3 b3 6)" 33
ok "  and over 5 times b1's ($(col 3 b1 6) ms)" gt "$(col 3 b3 6)" "$(times "$(col 3 b1 6)" 5)"

is "$(ip -br link | awk '{ print $1 }' | tr '\n' ' ')/$(nft list tables)" "lo /" "nothing left behind: no link, no nftables table"

done_testing
