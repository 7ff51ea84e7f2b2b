#!/bin/bash
# --list and --list --json: one row per live lease, stable JSON keys,
# hostile command lines, stale leases hidden and reclaimed.
. "$(dirname "$0")/lib.sh"
plan 19

mkbridge br2 10.40.0.1/24
mkbridge br3 10.50.0.1/24
err=$NSRT_TMP/err
fifo=$NSRT_TMP/fifo
mkfifo "$fifo"
# The interpreter itself, not a wrapper script (pyenv shims) in between.
py=$(python3 -c 'import sys; print(sys.executable)')

# JSON from stdin, one Python expression over it (r: the parsed document).
jq_py() { python3 -c 'import json, sys; r = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

is "$($NSRUN --list --json)" "[]" "no lease file yet: an empty JSON array"
is "$($NSRUN --list)" "ADDRESS  BRIDGE  STATE  PID  NAME  VETH  AGE  COMMAND" "  and a table with only its header"

# Three launches: two plain, one named, each held running.
spawn $NSRUN --bridge br2 -- sh -c "echo up >$fifo; exec sleep 600"
p1=$!
read -r _ <"$fifo"
spawn $NSRUN --bridge br2 --name db -- sh -c "echo up >$fifo; exec sleep 601"
p2=$!
read -r _ <"$fifo"
spawn $NSRUN --bridge br2 -- "$py" -c "import time; open('$fifo', 'w').write('up'); time.sleep(600)" x
p3=$!
read -r _ <"$fifo"
spawn $NSRUN --bridge br3 -- sh -c "echo up >$fifo; exec sleep 602"
read -r _ <"$fifo"

json=$($NSRUN --list --json --bridge br2)
ok "--list --json is valid JSON" python3 -m json.tool <<<"$json" >/dev/null
is "$(jq_py 'len(r)' <<<"$json")" 3 "  three rows after three launches on br2"
is "$(jq_py '[sorted(o) for o in r] == [sorted(["address", "bridge", "state", "pid", "name", "host_ifname", "created", "age", "command"])] * 3' <<<"$json")" \
	True "  every row has the same, documented keys"
is "$(jq_py '" ".join(o["address"] for o in r)' <<<"$json")" "10.40.0.2 10.40.0.3 10.40.0.4" "  addresses, in order"
is "$(jq_py '" ".join(str(o["pid"]) for o in r)' <<<"$json")" "$p1 $p2 $p3" "  the targets' pids"
is "$(jq_py '[o["name"] for o in r]' <<<"$json")" "[None, 'db', None]" "  the name of the named one, null otherwise"
is "$(jq_py '[o["command"] for o in r]' <<<"$json")" \
	"[['sleep', '600'], ['sleep', '601'], ['$py', '-c', \"import time; open('$fifo', 'w').write('up'); time.sleep(600)\", 'x']]" \
	"  the commands as argv arrays"
is "$(jq_py '" ".join(o["host_ifname"] for o in r)' <<<"$json")" \
	"$(ip -o link show master br2 | awk -F': ' '{ sub("@.*", "", $2); print $2 }' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"  host_ifname: the bridge's ports"
is "$(jq_py 'all(o["state"] == "wired" and o["bridge"] == "br2" and 0 <= o["age"] < 60 for o in r)' <<<"$json")" \
	True "  wired, on br2, just created"

all=$($NSRUN --list --json)
is "$(jq_py '" ".join(o["bridge"] + ":" + o["address"] for o in r)' <<<"$all")" \
	"br2:10.40.0.2 br2:10.40.0.3 br2:10.40.0.4 br3:10.50.0.2" "without --bridge: every bridge's leases"

table=$($NSRUN --list --bridge br2)
like "$(sed -n 1p <<<"$table")" '^ADDRESS +BRIDGE +STATE +PID +NAME +VETH +AGE +COMMAND$' "the table's header"
like "$(sed -n 3p <<<"$table")" "^10\.40\.0\.3 +br2 +wired +$p2 +db +nsr0a280003 +[0-9]+s +sleep 601$" "  a row"
is "$(wc -l <<<"$table")" 4 "  one line per lease"

# Hostile bytes in a command line: valid JSON, and a harmless table.
hostile=$(printf 'q"b\\s\nn\001e\033[31m\377\303\251')
spawn $NSRUN --bridge br3 -- "$py" -c "import time; time.sleep(600)" "$hostile"
hostile_listed() {
	[ "$($NSRUN --list --json --bridge br3 |
		jq_py 'r[-1]["command"][-1] == "q\"b\\s\nn\x01e\x1b[31m\ufffd\u00e9"')" = True ]
}
wait_for hostile_listed
ok "hostile argv: valid JSON, control bytes escaped, invalid UTF-8 as U+FFFD" hostile_listed
line=$($NSRUN --list --bridge br3 | tail -n 1)
like "$line" 'time.sleep\(600\) q"b\\x5cs\\x0an\\x01e\\x1b\[31m\\xff\\xc3\\xa9$' "  and written \\xNN in the table"

# A target that exits: its lease is hidden, then dropped from the file.
kill "$p1"
wait "$p1" 2>/dev/null
wait_for test "$(ports br2)" = 2
out=$($NSRUN --list --json --bridge br2 | jq_py '" ".join(o["address"] for o in r)')
is "$out" "10.40.0.3 10.40.0.4" "a lease whose namespace is gone is not listed"
nok "  and is reclaimed from the lease file" grep -q '^lease 10\.40\.0\.2 ' "$NSRUN_STATE_DIR/br2.leases"

$NSRUN --list --ip 10.40.0.9 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --ip: does not apply to --list" "--list with a launch option: 125"
done_testing
