#!/bin/bash
# make install / make uninstall: every file where distributions expect it,
# with DESTDIR and PREFIX honoured, and nothing left after uninstall.
. "$(dirname "$0")/lib.sh"
plan 8

BUILD_DIR=$(dirname "$NSRUN")
# -o: install what the tests run, never rebuild it under them.
mk() { make -s -C "$NSRT_ROOT" -o "$BUILD_DIR/nsrun" BUILD="$BUILD_DIR" "$@" >"$NSRT_TMP/make.out" 2>&1; }
files() { (cd "$1" && find . -type f -printf '%p %m\n' | sort | tr '\n' ' '); }

want="./usr/bin/nsrun 755 ./usr/share/bash-completion/completions/nsrun 644 "
want="$want./usr/share/man/man1/nsrun.1 644 ./usr/share/zsh/site-functions/_nsrun 644 "

dest=$NSRT_TMP/dest
ok "make install DESTDIR=... PREFIX=/usr" mk install DESTDIR="$dest" PREFIX=/usr
is "$(files "$dest")" "$want" "  binary, completions and man page, with their modes"
ok "  the installed files are the built and shipped ones" bash -c '
	cmp "$1/usr/bin/nsrun" "$2" &&
	cmp "$1/usr/share/bash-completion/completions/nsrun" "$3/contrib/completion/nsrun.bash" &&
	cmp "$1/usr/share/zsh/site-functions/_nsrun" "$3/contrib/completion/_nsrun" &&
	cmp "$1/usr/share/man/man1/nsrun.1" "$3/contrib/nsrun.1"' \
	_ "$dest" "$NSRUN" "$NSRT_ROOT"
is "$("$dest/usr/bin/nsrun" --version)" "$("$NSRUN" --version)" "  and the binary runs"
ok "make uninstall DESTDIR=... PREFIX=/usr" mk uninstall DESTDIR="$dest" PREFIX=/usr
is "$(files "$dest")" "" "  removes every file it installed"

dest2=$NSRT_TMP/dest2
mk install DESTDIR="$dest2"
is "$(files "$dest2" | sed 's|\./usr/local/|./usr/|g')" "$want" "PREFIX defaults to /usr/local"
mk uninstall DESTDIR="$dest2"
is "$(files "$dest2")" "" "  and uninstall follows it"

done_testing
