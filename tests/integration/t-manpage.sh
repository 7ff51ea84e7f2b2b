#!/bin/bash
# The man page, contrib/nsrun.1: it formats without a warning (groff,
# mandoc) and renders with man(1); it documents every option of
# `nsrun --help` with the same argument, and no option --help lacks; its
# lists of the default seccomp profile, of root's default capabilities and
# of the options every user may use are the code's, both ways; and `make
# install` puts it where man(1) finds it.  An option added to nsrun without
# its entry in the page fails here.
. "$(dirname "$0")/lib.sh"
PAGE=$NSRT_ROOT/contrib/nsrun.1
plan 16

# --- formatting -------------------------------------------------------------
is "$(groff -ww -z -man "$PAGE" 2>&1)" "" "groff -ww -z -man: no warning"
is "$(mandoc -T lint -W warning "$PAGE" 2>&1)" "" "mandoc -T lint -W warning: clean"
MANWIDTH=80 man -l "$PAGE" >"$NSRT_TMP/rendered" 2>"$NSRT_TMP/man.err"
rc=$?
is "$rc $(cat "$NSRT_TMP/man.err")" "0 " "man -l renders it, with nothing on stderr"
want="NAME SYNOPSIS DESCRIPTION OPTIONS ACTIONS THE BRIDGE AND ITS ADDRESSES LEASES EGRESS"
want="$want LINK SHAPING RUNNING ON A CLUSTER NODE SECURITY MODEL ENVIRONMENT FILES EXIT STATUS EXAMPLES SEE ALSO BUGS"
is "$(grep -E '^[A-Z]' "$NSRT_TMP/rendered" | sed 1d | grep -v '^nsrun ' | tr '\n' ' ')" "$want " \
	"  with its sections, in order"

# --- options ------------------------------------------------------------------
# The page's source with fonts and escapes gone, comments dropped:
# "\fB\-b\fR, \fB\-\-bridge\fR \fINAME\fR" reads "-b, --bridge NAME".
plain() { grep -v '^\.\\"' "$1" | sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g; s/\\e/\\/g'; }
plain "$PAGE" >"$NSRT_TMP/plain"

# --help's option lines, as written before their description: "-b, --bridge
# NAME", "--lo-addr ADDR[/N]".  Option lines are indented 2 to 6 spaces.
$NSRUN --help >"$NSRT_TMP/help"
awk '/^ +-/ { match($0, /^ +/); if (RLENGTH <= 6) print }' "$NSRT_TMP/help" |
	sed -E 's/^ +//; s/  .*//' | sort >"$NSRT_TMP/help.specs"
n=$(grep -c -- '--' "$NSRT_TMP/help.specs")
ok "--help has $n option lines (30 or more)" test "$n" -ge 30

# The page's option entries: the tag lines of .TP that start with an option.
awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' "$NSRT_TMP/plain" | grep -- '^-' |
	sort -u >"$NSRT_TMP/man.specs"
is "$(comm -23 "$NSRT_TMP/help.specs" "$NSRT_TMP/man.specs" | tr '\n' ';')" "" \
	"every option of --help has an entry in the page, with --help's argument"

# Every option the page names, in an entry or in the text, is one that
# --help names (--force is told of in --rm's line).
grep -oE -- '--[a-z][a-z0-9-]*' "$NSRT_TMP/plain" | sort -u >"$NSRT_TMP/man.long"
grep -oE -- '(^|[ ,])-[A-Za-z]\b' "$NSRT_TMP/man.specs" | tr -d ' ,' | sort -u >"$NSRT_TMP/man.short"
unknown() {
	local opt
	while read -r opt; do
		grep -qE -- "(^|[^A-Za-z-])$opt([^a-z0-9-]|\$)" "$NSRT_TMP/help" || printf '%s ' "$opt"
	done
}
is "$(cat "$NSRT_TMP/man.long" "$NSRT_TMP/man.short" | unknown)" "" \
	"the page names no option that --help does not"
ok "  (it names $(wc -l <"$NSRT_TMP/man.long") long options)" test "$(wc -l <"$NSRT_TMP/man.long")" -ge 30

# --- lists that must be the code's ---------------------------------------------
# marked NAME: the page's plain text between its ".\" NAME: begin" and
# ".\" NAME: end" comments.
marked() { sed -n "/^\\.\\\\\" $1: begin/,/^\\.\\\\\" $1: end/p" "$PAGE" | plain /dev/stdin; }
# code FILE ARRAY: the body of the C array ARRAY in FILE.
code() { sed -n "/$2\\[\\] = {/,/^};/p" "$NSRT_ROOT/$1"; }

code src/seccomp.c nsrun_seccomp_default_profile | grep -oE '^\s*\{ "[a-z0-9_]+"' |
	grep -oE '[a-z0-9_]+' | sort >"$NSRT_TMP/seccomp.code"
marked seccomp-default | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
	tr ',' '\n' | tr -d ' ' | grep . | sort >"$NSRT_TMP/seccomp.man"
ok "src/seccomp.c's default profile has $(wc -l <"$NSRT_TMP/seccomp.code") system calls (40 or more)" \
	test "$(wc -l <"$NSRT_TMP/seccomp.code")" -ge 40
is "$(comm -3 "$NSRT_TMP/seccomp.code" "$NSRT_TMP/seccomp.man" | tr -d '\t' | tr '\n' ' ')" "" \
	"the page's default seccomp profile is src/seccomp.c's, every system call of it and no other"

code src/privs.c nsrun_privs_default_caps | grep -oE 'CAP_[A-Z_]+' | sed 's/^CAP_//' |
	sort >"$NSRT_TMP/caps.code"
marked default-caps | grep -oE '^\.BR? [A-Z_]+' | cut -d' ' -f2 | sort >"$NSRT_TMP/caps.man"
ok "src/privs.c gives root's command $(wc -l <"$NSRT_TMP/caps.code") capabilities (10 or more)" \
	test "$(wc -l <"$NSRT_TMP/caps.code")" -ge 10
is "$(comm -3 "$NSRT_TMP/caps.code" "$NSRT_TMP/caps.man" | tr -d '\t' | tr '\n' ' ')" "" \
	"the page's default capabilities of root's command are src/privs.c's"

code src/policy.c always_allowed | grep -oE '"[a-z-]+"' | tr -d '"' | sort >"$NSRT_TMP/allowed.code"
marked always-allowed | grep -oE -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u >"$NSRT_TMP/allowed.man"
is "$(comm -3 "$NSRT_TMP/allowed.code" "$NSRT_TMP/allowed.man" | tr -d '\t' | tr '\n' ' ')" "" \
	"the options the page lets every user use are src/policy.c's ($(wc -l <"$NSRT_TMP/allowed.code"))"

codes=$(grep -oE 'NSRUN_EXIT_[A-Z_]+ [0-9]+' "$NSRT_ROOT/include/nsrun/launch.h" | cut -d' ' -f2 | sort | tr '\n' ' ')
sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$PAGE" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
	grep -oE '^\.B [0-9]+$' | cut -d' ' -f2 | grep -v '^0$' | sort >"$NSRT_TMP/codes.man"
is "$(tr '\n' ' ' <"$NSRT_TMP/codes.man")" "$codes" "EXIT STATUS has nsrun's own codes ($codes)"

# --- installed ---------------------------------------------------------------------
BUILD_DIR=$(dirname "$NSRUN")
dest=$NSRT_TMP/dest
make -s -C "$NSRT_ROOT" -o "$BUILD_DIR/nsrun" BUILD="$BUILD_DIR" install DESTDIR="$dest" PREFIX=/usr \
	>"$NSRT_TMP/make.out" 2>&1
is "$(MANPATH=$dest/usr/share/man man -w nsrun 2>&1)" "$dest/usr/share/man/man1/nsrun.1" \
	"make install DESTDIR=... PREFIX=/usr: \`man nsrun' finds it in usr/share/man/man1"
is "$(MANPATH=$dest/usr/share/man MANWIDTH=80 man nsrun 2>&1)" "$(cat "$NSRT_TMP/rendered")" \
	"  and shows this page"

done_testing
