#!/bin/bash
# --seccomp: the default profile denies leaving or rebuilding the namespace
# (also through clone() and the 32-bit gate) and typing into the terminal,
# while ordinary programs work; none; FILE; who gets which by default.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/privs.sh"
plan 26

U=$NSRT_USER
mkbridge br1 192.168.1.10/24
policy "allow user $U bridge br1" "allow group $NSRT_GROUP bridge br2 options seccomp"
mkbridge br2 192.168.2.10/24
SYS=$NSRT_BIN/sys
cc -O2 -o "$SYS" "$NSRT_ROOT/tests/integration/sys.c" || { echo "Bail out! cc sys.c"; exit 1; }
chmod 0755 "$SYS"
EPERM=-$("$NSRT_PY" -c 'import errno; print(errno.EPERM)')
ENOSYS=-$("$NSRT_PY" -c 'import errno; print(errno.ENOSYS)')

# --- root: none unless asked --------------------------------------------------
out=$($NSRUN --bridge br1 -- sh -c 'grep "^Seccomp:" /proc/self/status')
like "$out" 'Seccomp:[[:space:]]+0$' "root's target has no filter by default"
out=$($NSRUN --bridge br1 --seccomp default -- sh -c 'grep "^Seccomp:" /proc/self/status')
like "$out" 'Seccomp:[[:space:]]+2$' "  unless asked"

# What the filter denies, shown against the same command without it: root
# keeps CAP_SYS_ADMIN here, so only the filter can say no.
$NSRUN --bridge br1 --cap-add SYS_ADMIN --seccomp none -- mount -t tmpfs nsrt /mnt
is "$?" 0 "with SYS_ADMIN and no filter, mount works (in the target's own mount namespace)"
out=$($NSRUN --bridge br1 --cap-add SYS_ADMIN --seccomp default -- mount -t tmpfs nsrt /mnt 2>&1)
like "$?/$out" '^32/mount: /mnt: permission denied' "  the default profile makes it fail with EPERM"
$NSRUN --bridge br1 --cap-add SYS_ADMIN --seccomp none -- unshare --net true
is "$?" 0 "with SYS_ADMIN and no filter, unshare(1) works"
out=$($NSRUN --bridge br1 --cap-add SYS_ADMIN --seccomp default -- unshare --net true 2>&1)
is "$?/$out" "1/unshare: unshare failed: Operation not permitted" "  the default profile makes it fail with EPERM"
is "$($NSRUN --bridge br1 --seccomp none -- "$SYS" clone-newuser)" 0 \
	"clone(CLONE_NEWUSER) works for anyone without a filter"
is "$($NSRUN --bridge br1 --seccomp default -- "$SYS" clone-newuser)" "$EPERM" "  the default profile denies it"
is "$($NSRUN --bridge br1 --seccomp none -- "$SYS" int80-unshare)" 0 \
	"unshare(CLONE_NEWUSER) through the 32-bit gate works without a filter"
is "$($NSRUN --bridge br1 --seccomp default -- "$SYS" int80-unshare)" "$EPERM" \
	"  the default profile denies it too: no 32-bit bypass"
is "$($NSRUN --bridge br1 --seccomp default -- "$SYS" clone3)" "$ENOSYS" \
	"clone3() is ENOSYS, so libc falls back to the filtered clone()"
is "$($NSRUN --bridge br1 --seccomp default -- "$SYS" clone-thread)" 0 "  clone() without CLONE_NEW* works"
out=$($NSRUN --bridge br1 --seccomp default -- "$NSRT_PY" -c '
import threading, subprocess
t = threading.Thread(target=lambda: None); t.start(); t.join()
print(subprocess.run(["sh", "-c", "echo forked | cat"], capture_output=True, text=True).stdout.strip())')
is "$out" forked "threads, fork and pipes work under the default profile"

# TIOCSTI pushes input into the terminal of whoever runs nsrun.
TIOCSTI='
import fcntl, os, pty, termios
m, s = pty.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(s, termios.TIOCSCTTY, 0)
    try:
        fcntl.ioctl(s, termios.TIOCSTI, b"x")
        print("injected", flush=True)
    except OSError as e:
        print(os.strerror(e.errno), flush=True)
    os._exit(0)
os.waitpid(pid, 0)'
is "$($NSRUN --bridge br1 --seccomp none -- "$NSRT_PY" -c "$TIOCSTI")" injected \
	"TIOCSTI types into a terminal without a filter"
is "$($NSRUN --bridge br1 --seccomp default -- "$NSRT_PY" -c "$TIOCSTI")" "Operation not permitted" \
	"  the default profile denies it"

# --- FILE ------------------------------------------------------------------------
printf '# no uname\nuname\n\nptrace\n' >"$NSRT_TMP/deny"
out=$($NSRUN --bridge br1 --seccomp "$NSRT_TMP/deny" -- uname -s 2>&1)
is "$?/$out" "1/uname: cannot get system name: Operation not permitted" "--seccomp FILE denies the system calls it lists"
is "$($NSRUN --bridge br1 --seccomp "$NSRT_TMP/deny" -- "$SYS" clone-newuser)" 0 "  and only those"
printf 'uname\nfrobnicate\n' >"$NSRT_TMP/bad"
$NSRUN --bridge br1 --seccomp "$NSRT_TMP/bad" -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --seccomp $NSRT_TMP/bad: line 2: frobnicate: unknown system call" \
	"  an unknown name is a 125 error naming the line"
$NSRUN --bridge br1 --seccomp "$NSRT_TMP/nonexistent" -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --seccomp $NSRT_TMP/nonexistent: No such file or directory" \
	"  a missing file too"

# --- users --------------------------------------------------------------------------
out=$(as_user "$NSRT_CAPS" --bridge br1 -- unshare --user true 2>&1)
is "$?/$out" "1/unshare: unshare failed: Operation not permitted" \
	"a user's target gets the default profile: no user namespace"
out=$(as_user "$NSRT_CAPS" --bridge br1 -- "$SYS" int80-unshare)
is "$out" "$EPERM" "  not through the 32-bit gate either"
as_user "$NSRT_CAPS" --bridge br2 --seccomp none -- unshare --user true
is "$?" 0 "  --seccomp none once the policy grants seccomp"
chmod 0600 "$NSRT_TMP/deny"
as_user "$NSRT_CAPS" --bridge br2 --seccomp "$NSRT_TMP/deny" -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --seccomp $NSRT_TMP/deny: Permission denied" \
	"--seccomp FILE is read as the caller: root's file stays unread"
chmod 0644 "$NSRT_TMP/deny"
out=$(as_user "$NSRT_CAPS" --bridge br2 --seccomp "$NSRT_TMP/deny" -- uname -s 2>&1)
is "$?/$out" "1/uname: cannot get system name: Operation not permitted" "  and applied once readable"
out=$(as_user "$NSRT_CAPS" --bridge br1 --seccomp default -- sh -c 'echo ok')
is "$out" ok "--seccomp default needs no grant"

wait_for test "$(ports br1)" = 0
is "$(ports br1)$(ports br2)" 00 "no veth left"
done_testing
