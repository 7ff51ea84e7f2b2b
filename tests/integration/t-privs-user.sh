#!/bin/bash
# Root with --user USER[:GROUP]: the target is that user, with a user's
# clean state (ids and initgroups, no capabilities, no_new_privs, default
# seccomp, none of root's descriptors); descriptors 0-2 and umask for root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/privs.sh"
plan 21

U=$NSRT_USER
uid=$(id -u "$U")
gid=$(id -g "$U")
ggid=$(getent group "$NSRT_GROUP" | cut -d: -f3)
mkbridge br1 192.168.1.10/24

out=$($NSRUN --bridge br1 --user "$U" -- sh -c 'echo $(id -u) $(id -g) $(id -G)')
is "$out" "$uid $gid $gid $ggid" "--user: the user's uid, gid and groups (initgroups)"
out=$($NSRUN --bridge br1 --user "$U" -- sh -c "$NSRT_STATUS")
is "$out" "${NSRT_ZERO_CAPS}NoNewPrivs: 1;Seccomp: 2;" \
	"  no capabilities at all, no_new_privs, the default seccomp profile"
out=$($NSRUN --bridge br1 --user "$U" -- sh -c 'echo $USER $LOGNAME $HOME')
is "$out" "$U $U $(getent passwd "$U" | cut -d: -f6)" "  USER, LOGNAME and HOME of the user"
out=$($NSRUN --bridge br1 --user "$U:$NSRT_GROUP" -- sh -c 'echo $(id -u) $(id -g)')
is "$out" "$uid $ggid" "--user USER:GROUP sets the group"
out=$($NSRUN --bridge br1 --user "$uid" -- id -u)
is "$out" "$uid" "--user takes a uid"
out=$($NSRUN --bridge br1 --user 54321:54322 -- sh -c 'echo $(id -u) $(id -g) $(id -G) $HOME; echo ${USER-unset}')
is "$out" "$(printf '54321 54322 54322 /\nunset')" "  even one without a user database entry, given its group"
$NSRUN --bridge br1 --user 54321 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" \
	"125/nsrun: --user 54321: uid 54321 has no entry in the user database; name its group too (--user 54321:GROUP)" \
	"  but not without its group"
$NSRUN --bridge br1 --user nsrt-nosuchuser -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --user nsrt-nosuchuser: no such user" "an unknown user: 125"
$NSRUN --bridge br1 --user "$U:nsrt-nosuchgroup" -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --user $U:nsrt-nosuchgroup: no such group nsrt-nosuchgroup" \
	"an unknown group: 125"
out=$($NSRUN --bridge br1 --user "$U" --seccomp none -- sh -c 'grep "^Seccomp:" /proc/self/status')
like "$out" 'Seccomp:[[:space:]]+0$' "--user with --seccomp none"
out=$($NSRUN --bridge br1 --user "$U" --cap-add NET_BIND_SERVICE -- sh -c "$NSRT_STATUS")
is "$out" "CapInh: 0000000000000400;CapPrm: 0000000000000400;CapEff: 0000000000000400;CapBnd: 0000000000000400;CapAmb: 0000000000000400;NoNewPrivs: 1;Seccomp: 2;" \
	"--user with --cap-add: only that capability, through the ambient set"
out=$($NSRUN --bridge br1 --user "$U" --cap-add NET_BIND_SERVICE -- "$NSRT_PY" -c '
import socket; s = socket.socket(); s.bind(("0.0.0.0", 80)); print("bound 80")')
is "$out" "bound 80" "  so the user's server binds port 80"
out=$($NSRUN --bridge br1 --user "$U" -- "$NSRT_PY" -c '
import socket
try:
    socket.socket().bind(("0.0.0.0", 80))
except PermissionError:
    print("denied")' 2>&1)
is "$out" denied "  and without it cannot"
# The target cannot regain root by exec'ing a setuid-root program.
install -m 4755 "$(command -v id)" "$NSRT_BIN/id-suid"
is "$(as_user "$NSRT_BIN/id-suid" -u)" 0 "a setuid-root id(1) run by the user says euid 0"
is "$($NSRUN --bridge br1 --user "$U" -- "$NSRT_BIN/id-suid" -u)" "$uid" \
	"  but under --user it stays the user (no_new_privs)"

# --- descriptors ------------------------------------------------------------------
out=$(bash -c "$NSRT_ONLY_STD" only_std bash -c 'exec 7</dev/null; exec "$0" --bridge br1 -- sh -c "ls /proc/\$\$/fd"' "$NSRUN" | tr "\n" " ")
is "$out" "0 1 2 7 " "root's own descriptors stay open for a root target"
out=$(bash -c "$NSRT_ONLY_STD" only_std bash -c 'exec 7</dev/null; exec "$0" --bridge br1 --user "$1" -- sh -c "ls /proc/\$\$/fd"' "$NSRUN" "$U" | tr "\n" " ")
is "$out" "0 1 2 " "  but never reach another user (--user)"
out=$($NSRUN --bridge br1 -- sh -c 'readlink /proc/$$/fd/2' 2>&-)
is "$out" /dev/null "a closed stderr is /dev/null for nsrun and its target, not nsrun's socket"
$NSRUN --bridge nosuchbr -- true 2>&- >"$NSRT_TMP/out"
is "$?/$(cat "$NSRT_TMP/out")" "125/" "  and an error then goes nowhere (not to stdout)"
out=$(umask 077; $NSRUN --bridge br1 -- sh -c umask)
is "$out/$(stat -c %a /run/nsrun/br1.leases)" "0077/644" \
	"root's umask reaches the target, not nsrun's state files"

wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "no veth left"
done_testing
