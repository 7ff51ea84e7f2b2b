#!/bin/bash
# --pid: a PID namespace under nsrun's own init.  What the target sees,
# signals in, exit status out, orphans reaped, nothing left when nsrun is
# killed, and the terminal (Ctrl-C, Ctrl-Z/fg) through a pseudo-terminal.
. "$(dirname "$0")/lib.sh"
PTY=$NSRT_ROOT/tests/integration/ptydrive.py
plan 54

mkbridge br1 192.168.1.10/24
out=$NSRT_TMP/out
# gone PID...: none of them exists any more.  A test that fails on it kills
# them, so that a failure leaves nothing running either.
gone() { for p in "$@"; do [ ! -e "/proc/$p" ] || return 1; done; }
# finish PID: waits up to 10 s for the child PID to exit (else kills it), and
# returns its exit status.
finish() {
	local i
	for i in $(seq 500); do
		case $(ps -o stat= -p "$1") in "" | Z*) break ;; esac
		sleep 0.02
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1"
}

# --- what the target sees -------------------------------------------------
is "$($NSRUN --bridge br1 --pid -- ps -eo pid= | tr -d ' ' | tr '\n' ' ')" "1 2 " \
	"ps inside sees only the namespace: the init and itself"
is "$($NSRUN --bridge br1 --pid -- ps -o comm= -p 1)" "nsrun" "  PID 1 is nsrun's init"
is "$($NSRUN --bridge br1 --pid -- sh -c 'echo $$ $PPID')" "2 1" "the target is PID 2, child of the init"
is "$($NSRUN --bridge br1 --pid-exec -- sh -c 'echo $$ $PPID')" "1 0" "--pid-exec: the target is PID 1"
out_ip=$($NSRUN --bridge br1 --pid --ip 192.168.1.33 -- sh -c 'echo $NSRUN_ADDR; ip -4 -o addr show dev eth0' | tr '\n' ' ')
like "$out_ip" '^192\.168\.1\.33 .*inet 192\.168\.1\.33/24 ' "composes with the network setup (--ip, eth0)"
is "$($NSRUN --bridge br1 --pid -- grep CapEff /proc/self/status)" \
	"$($NSRUN --bridge br1 -- grep CapEff /proc/self/status)" "the target has the same capabilities as without --pid"
is "$($NSRUN --bridge br1 --pid -- grep CapEff /proc/1/status)" "CapEff:	0000000000000020" \
	"the init keeps only CAP_KILL"
nok "  and the target cannot read the init's memory or environment" \
	$NSRUN --bridge br1 --pid -- sh -c 'cat /proc/1/environ >/dev/null 2>&1'
is "$($NSRUN --bridge br1 --pid -- sh -c 'ls /proc/$$/fd' | tr '\n' ' ')" \
	"$($NSRUN --bridge br1 -- sh -c 'ls /proc/$$/fd' | tr '\n' ' ')" \
	"the target inherits the same descriptors as without --pid (no pipe, no signalfd)"
is "$(echo through | $NSRUN --bridge br1 --pid -- cat)" "through" "stdin and stdout reach the target"
# Started with SIGCHLD ignored and SIGUSR1 blocked (both survive exec).
cat >"$NSRT_TMP/sigstate.py" <<'PY'
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.execvp(sys.argv[1], sys.argv[1:])
PY
is "$(timeout -s KILL 20 python3 "$NSRT_TMP/sigstate.py" $NSRUN --bridge br1 --pid -- \
	grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\n' ' ')" \
	"$(python3 "$NSRT_TMP/sigstate.py" $NSRUN --bridge br1 -- \
	grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\n' ' ')" \
	"the target gets nsrun's signal mask and ignored signals, as without --pid"
timeout -s KILL 20 python3 "$NSRT_TMP/sigstate.py" $NSRUN --bridge br1 --pid -- sh -c 'exit 9'
is "$?" 9 "  and its exit status although nsrun started with SIGCHLD ignored"
like "$($NSRUN --bridge br1 -v --pid -- true 2>&1)" 'step pidns [0-9.]+ us' "-v shows the pidns step"

# --- exit status --------------------------------------------------------------
$NSRUN --bridge br1 --pid -- sh -c 'exit 7'
is "$?" 7 "exit status is the target's"
$NSRUN --bridge br1 --pid -- sh -c 'kill -TERM $$'
is "$?" 143 "death by SIGTERM: 128+15"
$NSRUN --bridge br1 --pid -- sh -c 'kill -KILL $$'
is "$?" 137 "death by SIGKILL: 128+9"
$NSRUN --bridge br1 --pid -- /nonexistent/cmd 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "127/nsrun: /nonexistent/cmd: No such file or directory" \
	"a missing command is still 127, one line"
out2=$($NSRUN --bridge br1 --pid-exec -- sh -c 'kill -TERM $$; echo survived')
is "$?/$out2" "0/survived" "--pid-exec: a PID 1 without a handler ignores SIGTERM (the trade-off)"

# The target exits: the rest of the namespace is killed before nsrun exits.
start=$(date +%s)
timeout -s KILL 20 $NSRUN --bridge br1 --pid -- sh -c 'sleep 1002 >/dev/null 2>&1 & exit 4'
is "$?" 4 "the target's status although a background process still runs"
left=$(pgrep -fx 'sleep 1002')
is "$left" "" "  and that process is already gone when nsrun returns"
[ -z "$left" ] || kill -KILL $left
ok "  at once" test $(($(date +%s) - start)) -lt 10

# --- signals ------------------------------------------------------------------
# env --default-signal: a background job of a script starts with SIGINT and
# SIGQUIT ignored, and a shell cannot trap what it started ignoring.
for s in TERM INT HUP QUIT USR1 USR2 WINCH; do
	spawn env --default-signal=INT,QUIT $NSRUN --bridge br1 --pid -- bash -c \
		"trap 'echo got $s; exit 3' $s; echo ready; while :; do sleep 0.05; done" >"$out"
	pid=$!
	wait_for grep -q ready "$out"
	kill -s "$s" "$pid"
	finish "$pid"
	is "$?/$(tail -n 1 "$out")" "3/got $s" "SIG$s sent to nsrun reaches the target"
done
spawn $NSRUN --bridge br1 --pid-exec -- bash -c \
	"trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 0.05; done" >"$out"
pid=$!
wait_for grep -q ready "$out"
kill -TERM "$pid"
finish "$pid"
is "$?/$(tail -n 1 "$out")" "3/got TERM" "--pid-exec: SIGTERM reaches a PID 1 that traps it"
# A signal sent to nsrun's whole process group reaches the target once: the
# init is in a group of its own.  The target counts every delivery.
cat >"$NSRT_TMP/count.py" <<'PY'
import os, signal, sys
r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)  # one byte per signal delivered
for s in (signal.SIGUSR1, signal.SIGTERM):
    signal.signal(s, lambda *a: None)
print("ready", flush=True)
n = 0
while True:
    b = os.read(r, 1)[0]
    if b == signal.SIGUSR1:
        n += 1
    elif b == signal.SIGTERM:
        print(n, flush=True)
        sys.exit(0)
PY
spawn setsid $NSRUN --bridge br1 --pid -- python3 "$NSRT_TMP/count.py" >"$out"
pid=$!
wait_for grep -q ready "$out"
for i in 1 2 3 4 5; do
	kill -USR1 -- "-$pid"
	sleep 0.05
done
sleep 0.2
kill -TERM "$pid"
finish "$pid"
is "$(tail -n 1 "$out")" 5 "a signal to nsrun's process group reaches the target once (5 sent, 5 received)"

# --- orphans --------------------------------------------------------------------
# A double-forked sleep: re-parented to the init, reaped when it exits.
res=$($NSRUN --bridge br1 --pid -- sh -c '
	p=$(sh -c "sleep 0.3 >/dev/null 2>&1 & echo \$!")
	read -r _ _ _ ppid _ </proc/$p/stat
	sleep 1
	if [ -e /proc/$p ]; then read -r _ _ st _ </proc/$p/stat; else st=reaped; fi
	echo "$ppid $st"')
is "$res" "1 reaped" "a double-forked orphan goes to the init and is reaped (no zombie)"
res=$($NSRUN --bridge br1 --pid -- sh -c '
	for i in 1 2 3 4 5; do (sleep 0.1 &) ; done; sleep 0.6
	grep -l "^State:.*Z" /proc/[0-9]*/status | wc -l')
is "$res" 0 "  five of them: no process in Z state"

# --- killing nsrun kills the namespace ---------------------------------------------
spawn $NSRUN --bridge br1 --pid -- sh -c '(sleep 1000 &); echo ready; exec sleep 1001' >"$out"
outer=$!
wait_for grep -q ready "$out"
init=$(pgrep -P "$outer")
inside=$(pgrep -P "$init" | tr '\n' ' ')
is "$(echo $inside | wc -w)" 2 "the init's children: the target and the orphan"
is "$(ports br1)" 1 "  with its veth on the bridge"
kill -KILL "$outer"
wait_for gone $init $inside
ok "SIGKILL of nsrun: no process of the namespace is left (pids $init $inside)" gone $init $inside
gone $init $inside || kill -KILL $init $inside
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "  and its veth is gone"

spawn $NSRUN --bridge br1 --pid-exec -- sleep 1005
outer=$!
wait_for pgrep -P "$outer" >/dev/null
child=$(pgrep -P "$outer")
kill -KILL "$outer"
wait_for gone "$child"
ok "--pid-exec: SIGKILL of nsrun kills PID 1 too (parent-death signal)" gone "$child"
gone "$child" || kill -KILL "$child"

# nsrun killed right after the fork, before the init could arm its
# parent-death signal: the init notices and the target never runs.
NSRUN_FAULT=pidns-forked $NSRUN_FAULTS_BIN --bridge br1 --pid -- \
	sh -c "touch $NSRT_TMP/ran; exec sleep 1003" 2>/dev/null
is "$?" 137 "nsrun killed right after forking the init"
wait_for test -z "$(pgrep -fx 'sleep 1003')"
left=$(pgrep -fx 'sleep 1003')
is "$left" "" "  leaves no process behind"
[ -z "$left" ] || kill -KILL $left
nok "  and the target never ran" test -e "$NSRT_TMP/ran"
NSRUN_FAULT=pidns-forked $NSRUN_FAULTS_BIN --bridge br1 --pid-exec -- sleep 1006 2>/dev/null
sleep 0.5
left=$(pgrep -fx 'sleep 1006')
is "$left" "" "--pid-exec: neither does it with the target as PID 1"
[ -z "$left" ] || kill -KILL $left
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "  nor a veth"

# Neither nsrun nor the init holds the target's stdout open.
mkfifo "$NSRT_TMP/fifo"
timeout 5 cat "$NSRT_TMP/fifo" >"$out" &
reader=$!
spawn $NSRUN --bridge br1 --pid -- sh -c 'echo first; exec >&- 2>&-; sleep 30' >"$NSRT_TMP/fifo"
held=$!
wait "$reader"
is "$?/$(cat "$out")" "0/first" "the reader of nsrun's stdout sees EOF when the target closes it"
kill "$held"

# --- the terminal ----------------------------------------------------------------
res=$(python3 "$PTY" 'expect:ready' 'send:hello\n' 'expect:got:hello' intr -- \
	$NSRUN --bridge br1 --pid -- sh -c 'echo ready; read line; echo "got:$line"; exec sleep 100')
is "$?" 130 "Ctrl-C on a terminal interrupts the target (130)"
like "$res" 'got:hello' "  which reads the terminal as its foreground group"
res=$(python3 "$PTY" 'send:typed\n' -- bash -c "$NSRUN --bridge br1 --pid -- true; read -t 5 x; echo got:\$x")
like "$res" 'got:typed' "the terminal goes back to nsrun's group when the target exits"
res=$(python3 "$PTY" 'expect:# ' 'send:PS1=P.; bind "set enable-bracketed-paste off"\n' 'expect:P\.' \
	"send:$NSRUN --bridge br1 --pid -- sh -c 'echo ready; read l; echo got:\$l; read l; echo got2:\$l; exit 6'\n" \
	'expect:ready' 'send:a\n' 'expect:got:a' susp 'expect:Stopped' 'expect:P\.' \
	'send:fg\n' 'expect:sh -c' 'send:b\n' 'expect:got2:b' 'expect:P\.' \
	'send:echo status:$?\n' 'expect:status:6' 'send:exit\n' -- bash --norc --noprofile -i)
is "$?" 0 "job control in an interactive shell: Ctrl-Z stops the job, fg resumes it"
like "$res" 'Stopped' "  the shell saw the job stop"
like "$res" 'status:6' "  and, resumed with the terminal, the target read it and exited 6"

wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "no veth left on the bridge"

# README's signal table is src/pidns.c's, both ways: each signal with what
# nsrun does with it (SIGKILL and SIGSTOP rows aside: the kernel's).
sed -n '/nsrun_pidns_signals\[\] = {/,/^};/p' "$NSRT_ROOT/src/pidns.c" |
	grep -oE '"SIG[A-Z0-9]+", NSRUN_PIDNS_[A-Z]+' | sed -E 's/"(SIG[A-Z0-9]+)", NSRUN_PIDNS_/\1 /' |
	sort >"$NSRT_TMP/sig.code"
sed -n '/^## PID namespace/,/^## [^P]/p' "$NSRT_ROOT/README.md" | grep -E '^\| `SIG' |
	awk -F'|' '
		$3 ~ /^ forwarded to/ { a = "FORWARD" }
		$3 ~ /^ forwarded;/ { a = "SUSPEND" }
		$3 ~ /^ continues/ { a = "RESUME" }
		a { n = split($2, s, /[` ]+/); for (i = 1; i <= n; i++) if (s[i] != "") print s[i], a; a = "" }' |
	sort >"$NSRT_TMP/sig.readme"
ok "src/pidns.c's table has $(wc -l <"$NSRT_TMP/sig.code") signals (9 or more)" \
	test "$(wc -l <"$NSRT_TMP/sig.code")" -ge 9
is "$(comm -3 "$NSRT_TMP/sig.code" "$NSRT_TMP/sig.readme" | tr -d '\t' | tr '\n' ';')" "" \
	"README's signal table is the code's"
# A descriptor the caller hands the target is the target's alone: neither
# the outer nsrun nor the init keeps it (a pipe's reader sees EOF as soon as
# the target closes its end).
spawn $NSRUN --bridge br1 --pid -- sh -c 'exec 7>&-; echo ready; exec sleep 1004' \
	>"$NSRT_TMP/fdout" 7>"$NSRT_TMP/fd7"
outer=$!
wait_for grep -q ready "$NSRT_TMP/fdout"
init=$(pgrep -P "$outer")
held=$(ls -l /proc/$outer/fd /proc/$init/fd 2>/dev/null | grep -c "$NSRT_TMP/fd7")
is "$held" 0 "the caller's descriptor 7 is not held by the outer nsrun or the init"
like "$(grep CapEff /proc/$outer/status)" "CapEff:.0+$" "the outer nsrun holds no capability while it supervises"
kill -TERM "$outer"
done_testing
