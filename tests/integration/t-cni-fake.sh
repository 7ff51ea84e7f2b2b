#!/bin/bash
# --cni with fake plugins (cni-fake/fake, a shell script that logs every
# call and answers as its configuration says): the ADD chain and prevResult,
# requests as the spec derives them, reverse-order DEL after a failure in the
# middle, error propagation, version negotiation, --cni-del, collection of
# attachments whose target is gone (and after nsrun itself was killed), CNI
# 1.1 GC, and the refusals.
. "$(dirname "$0")/lib.sh"
NSRUN_FAULTS=${NSRUN_FAULTS_BIN:-$NSRT_ROOT/build/nsrun-faults}
plan 98

BIN=$NSRT_TMP/bin
CONF=$NSRT_TMP/conf
CACHE=$NSRUN_STATE_DIR/cni
err=$NSRT_TMP/err
mkdir -p "$BIN" "$CONF"
for p in fake-a fake-b fake-c fake-old fake-new; do
	ln -s "$NSRT_ROOT/tests/integration/cni-fake/fake" "$BIN/$p"
done
echo '["0.4.0","1.0.0"]' >"$BIN/fake-old.versions"
echo '["1.1.0"]' >"$BIN/fake-new.versions"

# The result the first plugin of a chain returns.
RESULT='{"cniVersion":"","interfaces":[{"name":"fkbr0"},{"name":"fkveth0"},{"name":"eth0","sandbox":"x"}],"ips":[{"address":"10.9.0.5/24","gateway":"10.9.0.1","interface":2}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}'
A="{\"type\":\"fake-a\",\"fakeResult\":$RESULT}"

conflist() { # FILE NAME VERSION PLUGIN...
	local file=$1 name=$2 version=$3 plugins
	shift 3
	plugins=$(IFS=,; echo "$*")
	echo "{\"cniVersion\":\"$version\",\"name\":\"$name\",\"plugins\":[$plugins]}" >"$CONF/$file"
}
DIRS=(--cni-conf-dir "$CONF" --cni-path "$BIN")
cni() { # NET ID ARG...
	local net=$1 id=$2
	shift 2
	$NSRUN --cni "$net" --cni-id "$id" "${DIRS[@]}" "$@"
}
added() { # ID...: their ADD is done
	for id; do grep -q '"result":{' "$CACHE/$id.json" 2>/dev/null || return 1; done
}
reset() { rm -f "$BIN"/calls.log "$BIN"/*.stdin "$BIN"/*.env; }
calls() { tr '\n' ',' <"$BIN/calls.log" | sed 's/,$//'; }
# The stdin of a plugin's first call of a command since reset, through jq.
req() { head -n 1 "$BIN/$1.$2.stdin" | jq -c "$3"; }

# --- the chain ------------------------------------------------------------
B='{"type":"fake-b","custom":{"x":[1,2.5,{"y":null}],"s":"\u00e9"},"ipMasq":true,"args":{"cni":{"k":"v"}},"capabilities":{"mac":true,"portMappings":false}}'
C='{"type":"fake-c","capabilities":{"bandwidth":true},"runtimeConfig":{"own":1}}'
conflist 10-fk.conflist fk 1.1.0 "$A" "$B" "$C"
reset
out=$(FOO_SECRET=1 NSRUN_BRIDGE=leak cni fk f1 --cni-args 'K8S_POD_NAME=web;IgnoreUnknown=1' \
	--cni-cap 'mac="02:00:00:00:00:01"' --cni-cap 'bandwidth={"ingressRate":1000}' -- \
	sh -c 'echo $NSRUN_ADDR $NSRUN_PREFIX $NSRUN_GATEWAY $NSRUN_IFNAME $NSRUN_CNI_ID $NSRUN_CNI_NETWORK ${NSRUN_BRIDGE-unset}; echo "$NSRUN_CNI_RESULT"')
is "$?" 0 "a chain of three plugins: the target runs"
is "$(head -n 1 <<<"$out")" "10.9.0.5 24 10.9.0.1 eth0 f1 fk unset" \
	"  NSRUN_* from the result; NSRUN_BRIDGE unset, even when the caller had one"
final=$(tail -n 1 <<<"$out")
is "$(jq -c .dns.search <<<"$final")" '["fake-b","fake-c"]' "  NSRUN_CNI_RESULT: the last plugin's result"
is "$(calls)" "fake-a VERSION,fake-b VERSION,fake-c VERSION,fake-a ADD,fake-b ADD,fake-c ADD" \
	"  VERSION to each plugin, then ADD in order"
is "$(req fake-a ADD .cniVersion)" '"1.1.0"' "  at the highest version all speak"
is "$(req fake-a ADD 'has("prevResult")')" false "  the first plugin gets no prevResult"
is "$(req fake-b ADD .prevResult)" "$(jq -c '.cniVersion = "1.1.0"' <<<"$RESULT")" \
	"  the second gets the first's result as prevResult"
is "$(req fake-c ADD .prevResult.dns.search)" '["fake-b"]' "  the third the second's"
is "$(req fake-b ADD '[.name, .cniVersion]')" '["fk","1.1.0"]' "  name and cniVersion of the list"
is "$(req fake-b ADD '[.custom, .ipMasq, .args]')" "$(jq -c '[.custom, .ipMasq, .args]' <<<"$B")" \
	"  unknown keys passed through unchanged"
is "$(req fake-b ADD 'keys_unsorted')" '["type","custom","ipMasq","args","cniVersion","name","prevResult","runtimeConfig"]' \
	"  in their order, capabilities removed"
is "$(req fake-b ADD .runtimeConfig)" '{"mac":"02:00:00:00:00:01"}' \
	"  runtimeConfig: only the capabilities it declares (true)"
is "$(req fake-c ADD .runtimeConfig)" '{"bandwidth":{"ingressRate":1000}}' "  each plugin its own"
is "$(req fake-a ADD 'has("runtimeConfig")')" false "  none when it declares none"
is "$(grep -v '^PWD=\|^SHLVL=\|^_=' "$BIN/fake-b.ADD.env" | tr '\n' ' ')" \
	"CNI_ARGS=K8S_POD_NAME=web;IgnoreUnknown=1 CNI_COMMAND=ADD CNI_CONTAINERID=f1 CNI_IFNAME=eth0 CNI_NETNS=/run/netns/nsrun-f1 CNI_PATH=$BIN PATH=$PATH " \
	"  an environment of CNI_* and PATH only"
is "$(grep -v '^PWD=\|^SHLVL=\|^_=' "$BIN/fake-a.VERSION.env" | tr '\n' ' ')" \
	"CNI_COMMAND=VERSION CNI_PATH=$BIN PATH=$PATH " "  VERSION: CNI_COMMAND, CNI_PATH, PATH"
is "$(jq -c '[.id, .network, .cni_version, .ifname, .args, .result.dns.search]' "$CACHE/f1.json")" \
	'["f1","fk","1.1.0","eth0","K8S_POD_NAME=web;IgnoreUnknown=1",["fake-b","fake-c"]]' \
	"the cache: ID, network, version, interface, CNI_ARGS, the final result"
is "$(stat -c %a "$CACHE" "$CACHE/f1.json" | tr '\n' ' ')" "700 600 " "  private to root"
like "$(ip netns list)" '^nsrun-f1' "the namespace stays pinned at /run/netns/nsrun-f1"
like "$($NSRUN --list)" 'ADDRESS +BRIDGE.*
10\.9\.0\.5 +cni:fk +wired +[0-9]+ +nsrun-f1 +fkveth0 +[0-9]+s +-' \
	"--list shows the attachment (network, name, host-side interface)"
is "$($NSRUN --list --json | jq -c '.[0] | [.address, .bridge, .name, .host_ifname, .command]')" \
	'["10.9.0.5","cni:fk","nsrun-f1","fkveth0",null]' "--list --json too"

# --- --cni-del ---------------------------------------------------------------
reset
$NSRUN --cni-del f1
is "$?" 0 "--cni-del: exit 0"
is "$(calls)" "fake-c DEL,fake-b DEL,fake-a DEL" "  DEL in reverse order"
is "$(req fake-a DEL .prevResult.dns.search)" '["fake-b","fake-c"]' "  each with the cached final result"
is "$(req fake-b DEL '[.runtimeConfig, .custom.x]')" '[{"mac":"02:00:00:00:00:01"},[1,2.5,{"y":null}]]' \
	"  and the request of the ADD"
is "$(grep '^CNI_NETNS=\|^CNI_ARGS=' "$BIN/fake-c.DEL.env" | tr '\n' ' ')" \
	"CNI_ARGS=K8S_POD_NAME=web;IgnoreUnknown=1 CNI_NETNS=/run/netns/nsrun-f1 " "  CNI_NETNS and CNI_ARGS of the ADD"
nok "  the namespace is unpinned" test -e /run/netns/nsrun-f1
is "$(ls "$CACHE")" "" "  the cache and its lock are gone"
$NSRUN --cni-del f1 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni f1: no such attachment (no $NSRUN_STATE_DIR/cni/f1.json)" \
	"--cni-del of an unknown ID: 125"

# --- a failure in the middle of the chain ---------------------------------------
FAILB='{"type":"fake-b","fakeFail":"ADD","fakeCode":7,"fakeMsg":"no luck","fakeDetails":"pool\ndry"}'
conflist 20-fkfail.conflist fkfail 1.0.0 "$A" "$FAILB" '{"type":"fake-c"}'
reset
cni fkfail x1 -- touch "$NSRT_TMP/ran" 2>"$err"
is "$?" 125 "ADD failing in the middle: exit 125"
is "$(cat "$err")" "nsrun: cni fkfail: plugin fake-b: ADD failed (code 7): no luck: pool dry" \
	"  one line: the plugin, its code, msg and details"
is "$(calls)" "fake-a VERSION,fake-b VERSION,fake-c VERSION,fake-a ADD,fake-b ADD,fake-b DEL,fake-a DEL" \
	"  DEL for the plugins that ran, in reverse order; the rest never called"
is "$(req fake-a DEL .prevResult.ips[0].address)" '"10.9.0.5/24"' "  with the last result as prevResult"
nok "  the target never ran" test -e "$NSRT_TMP/ran"
nok "  nothing pinned" test -e /run/netns/nsrun-x1
is "$(ls "$CACHE")" "" "  nothing cached"

conflist 20-fkfail.conflist fkfail 1.0.0 "$A" '{"type":"fake-b","fakeFail":"ADD","fakeCode":11,"fakeMsg":"busy"}'
cni fkfail x2 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fkfail: plugin fake-b: ADD failed (code 11): busy" "an error without details"
conflist 20-fkfail.conflist fkfail 1.0.0 "$A" '{"type":"fake-b","fakeFail":"ADD","fakeExit":3}'
cni fkfail x3 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fkfail: plugin fake-b: ADD failed (exit status 3, no error object on stdout)" \
	"a plugin that fails without an error object"
conflist 20-fkfail.conflist fkfail 1.0.0 "$A" '{"type":"fake-b","fakeFlood":"ADD"}'
cni fkfail x6 -- true 2>"$err"
is "$?/$(cat "$err")/$(ls "$CACHE")" "125/nsrun: cni fkfail: plugin fake-b: ADD: output: more than 1048576 bytes/" \
	"a plugin that says more than 1 MiB: stopped there, 125, rolled back"
conflist 20-fkfail.conflist fkfail 1.0.0 '{"type":"fake-a","fakeResult":{"cniVersion":"","ips":[{"address":"10.9.0.300/24"}]}}'
cni fkfail x4 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fkfail: plugin fake-a: ADD: result: ips[0].address: not an address/prefix" \
	"a result that is not one"
conflist 20-fkfail.conflist fkfail 1.0.0 "$A" "{\"type\":\"fake-b\",\"fakeFail\":\"DEL\",\"fakeFailWhile\":\"$NSRT_TMP/broken\"}" \
	'{"type":"fake-c","fakeFail":"ADD","fakeMsg":"no"}'
touch "$NSRT_TMP/broken"
reset
cni fkfail x5 -- true 2>"$err"
is "$?/$(head -n 1 "$err")" "125/nsrun: cni fkfail: plugin fake-b: DEL failed (code 7): failed; attachment x5 stays (nsrun --cni-del x5 removes it)" \
	"a DEL that fails in the rollback: said, and the attachment kept"
is "$(tail -n 1 "$err")" "nsrun: cni fkfail: plugin fake-c: ADD failed (code 7): no" "  after the ADD's own error"
is "$(calls | sed 's/.*VERSION,//')" "fake-a ADD,fake-b ADD,fake-c ADD,fake-c DEL,fake-b DEL,fake-a DEL" \
	"  the other DELs ran all the same"
ok "  still pinned and cached, for a later DEL" test -e /run/netns/nsrun-x5 -a -e "$CACHE/x5.json"
rm "$NSRT_TMP/broken"
$NSRUN --cni-del x5
is "$?/$(ls "$CACHE")" "0/" "  which --cni-del does once the plugin works"

# --- version negotiation ----------------------------------------------------------
ver() { # NET: the cniVersion of the first ADD
	head -n 1 "$BIN/fake-a.ADD.stdin" | jq -r .cniVersion
}
conflist 30-v.conflist v 1.1.0 "$A" '{"type":"fake-old"}'
reset
cni v v1 -- true
is "$?/$(ver)/$(req fake-old ADD .cniVersion)" '0/1.0.0/"1.0.0"' \
	"a 1.1.0 list with a plugin that stops at 1.0.0: runs at 1.0.0"
conflist 30-v.conflist v 1.1.0 "$A" '{"type":"fake-new"}'
reset
cni v v2 -- true
is "$?/$(ver)" "0/1.1.0" "with a plugin that speaks only 1.1.0: at 1.1.0"
conflist 30-v.conflist v 1.0.0 "$A" '{"type":"fake-new"}'
reset
cni v v3 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni v: plugin fake-new: speaks CNI 1.1.0, the network needs 1.0.0: no version in common" \
	"a 1.0.0 list with a plugin that speaks only 1.1.0: 125"
is "$(calls)" "fake-a VERSION,fake-new VERSION" "  nothing but VERSION was called"
echo '["0.4.0"]' >"$BIN/fake-old.versions"
conflist 30-v.conflist v 1.0.0 "$A" '{"type":"fake-old"}'
cni v v4 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni v: plugin fake-old: speaks CNI 0.4.0, the network needs 1.0.0: no version in common" \
	"a plugin that speaks only 0.4.0, a 1.0.0 list: 125"
echo '{"cniVersion":"1.0.0","cniVersions":["0.4.0","1.0.0"],"name":"v","plugins":['"$A"',{"type":"fake-old"}]}' >"$CONF/30-v.conflist"
reset
cni v v5 -- sh -c 'echo "$NSRUN_CNI_RESULT"' >"$NSRT_TMP/out"
is "$?/$(ver)/$(jq -r .cniVersion "$NSRT_TMP/out")" "0/0.4.0/0.4.0" "  with cniVersions [0.4.0, 1.0.0]: at 0.4.0"
echo '["0.4.0","1.0.0"]' >"$BIN/fake-old.versions"
conflist 30-v.conflist v 0.3.1 "$A" '{"type":"fake-b"}'
reset
cni v v6 -- true
is "$?/$(ver)" "0/0.3.1" "a 0.3.1 list: at 0.3.1"
reset
$NSRUN --cni-del v6
is "$?/$(req fake-a DEL 'has("prevResult")')" "0/false" "  and its DEL carries no prevResult (0.4.0 brought that)"
conflist 30-v.conflist v 0.2.0 "$A"
cni v v7 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni v: $CONF/30-v.conflist: cniVersion 0.2.0: nsrun speaks CNI 0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0" \
	"a 0.2.0 list: 125"
for id in v1 v2 v5; do $NSRUN --cni-del $id; done

# --- legacy files, lookup order ---------------------------------------------------
echo '{"cniVersion":"1.0.0","name":"legacy","type":"fake-a","fakeResult":'"$RESULT"'}' >"$CONF/40-legacy.conf"
reset
cni legacy l1 -- true
is "$?/$(calls)" "0/fake-a VERSION,fake-a ADD" "a legacy .conf file: one plugin"
is "$(req fake-a ADD '[.name, .cniVersion, .type]')" '["legacy","1.0.0","fake-a"]' "  wrapped into a list"
$NSRUN --cni-del l1
conflist 99-legacy.conflist legacy 1.0.0 "$A" '{"type":"fake-c"}'
reset
cni legacy l2 -- true
is "$(calls)" "fake-a VERSION,fake-c VERSION,fake-a ADD,fake-c ADD" "  a .conflist of the same name comes first"
$NSRUN --cni-del l2

# --- refusals ----------------------------------------------------------------------
cni nosuch n1 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni nosuch: not found in $CONF (no .conflist, .conf or .json file names it)" \
	"an unknown network: 125"
conflist 50-slash.conflist slash 1.0.0 '{"type":"../../bin/sh"}'
cni slash n2 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni slash: $CONF/50-slash.conflist: plugins[0].type \"../../bin/sh\": contains '/' (plugins are found only in the CNI path)" \
	"a plugin type with '/': 125"
conflist 50-slash.conflist slash 1.0.0 '{"type":"fake-zz"}'
cni slash n3 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni slash: plugin fake-zz: not found in $BIN" "a plugin not in the CNI path: 125"
rm "$CONF/50-slash.conflist"
printf '{"cniVersion":"1.0.0",\n "name":"dup",\n "name":"dup","plugins":[]}\n' >"$CONF/60-dup.conflist"
cni dup n4 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni dup: $CONF/60-dup.conflist: line 3, column 7: duplicate object key near '\"name\"'" \
	"a duplicate key: 125, with line and column"
rm "$CONF/60-dup.conflist"
cni fk n5 --cni-cap 'portMappings=[]' -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fk: --cni-cap portMappings: no plugin of network fk declares this capability" \
	"--cni-cap that no plugin declares: 125"
cni fk n6 --cni-cap 'mac={' -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fk: --cni-cap mac: not JSON: line 1, column 1: string or '}' expected near end of file" \
	"--cni-cap that is not JSON: 125"
for opt in "--bridge br1" "--ip 10.0.0.2" "--subnet 10.0.0.0/24" "--mac 02:00:00:00:00:01" "--mtu 1400"; do
	cni fk n7 $opt -- true 2>"$err"
	rc=$?
	[ "$rc" = 125 ] && grep -q "^nsrun: ${opt%% *}: does not apply to --cni (the CNI plugins wire the namespace)$" "$err" || break
done
is "$rc/$(cat "$err")" "125/nsrun: --mtu: does not apply to --cni (the CNI plugins wire the namespace)" \
	"--cni with --bridge, --ip, --subnet, --mac or --mtu: 125 each"
$NSRUN --cni-id z -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --cni-id: only with --cni NET" "--cni-id without --cni: 125"
cni fk 'a/b' -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --cni-id a/b: only letters, digits, '_', '.' and '-' are allowed" "a bad ID: 125"
cni fk k1 -- true
cni fk k1 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fk: attachment k1: exists already (nsrun --cni-del k1 removes it)" \
	"an ID in use: 125"
$NSRUN --cni-del k1
ip netns add nsrun-k2
cni fk k2 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni fk: namespace nsrun-k2: name in use (/run/netns/nsrun-k2 exists)" \
	"a namespace name in use: 125"
ok "  which stays" test -e /run/netns/nsrun-k2
ip netns del nsrun-k2
is "$(ls "$CACHE" | tr '\n' ' ')" "" "after the refusals: nothing cached"

# --- collection, and CNI 1.1 GC ------------------------------------------------------
conflist 70-gc.conflist gcnet 1.1.0 "$A" '{"type":"fake-old"}'
spawn $NSRUN --cni gcnet --cni-id g1 "${DIRS[@]}" -- sleep 600
spawn $NSRUN --cni gcnet --cni-id g2 "${DIRS[@]}" -- sleep 600
dead=$!
wait_for added g1 g2
kill -KILL "$dead"
wait "$dead" 2>/dev/null
reset
out=$($NSRUN --cni-gc)
is "$?" 0 "--cni-gc: exit 0"
is "$out" "nsrun: cni gcnet: collected g2 10.9.0.5 (pid $dead gone)
nsrun: cni gc: 1 attachment collected, 1 live" "  collects the attachment whose target was SIGKILLed"
is "$(calls)" "fake-old DEL,fake-a DEL" "  by DEL in reverse order"
is "$(req fake-a DEL '[.prevResult.ips[0].address]')" '["10.9.0.5/24"]' "  with its result"
nok "  unpinned" test -e /run/netns/nsrun-g2
ok "  the live one stays" test -e /run/netns/nsrun-g1 -a -e "$CACHE/g1.json"
spawn $NSRUN --cni gcnet --cni-id g3 "${DIRS[@]}" -- sleep 600
g3=$!
wait_for added g3
kill -KILL "$g3"
wait "$g3" 2>/dev/null
reset
out=$($NSRUN --cni-gc --cni-plugin-gc)
is "$out" "nsrun: cni gcnet: collected g3 10.9.0.5 (pid $g3 gone)
nsrun: cni gcnet: GC sent to fake-a (1 valid attachment); not to fake-old (no CNI 1.1.0)
nsrun: cni gc: 1 attachment collected, 1 live" "--cni-gc --cni-plugin-gc: GC to the plugins that speak 1.1.0"
is "$(calls)" "fake-old DEL,fake-a DEL,fake-a VERSION,fake-a GC,fake-old VERSION" "  after the collection"
is "$(req fake-a GC '[.cniVersion, .name, ."cni.dev/valid-attachments", ."cni.dev/attachments"]')" \
	'["1.1.0","gcnet",[{"containerID":"g1","ifname":"eth0"}],[{"containerID":"g1","ifname":"eth0"}]]' \
	"  with the live attachments, under both keys"
is "$(req fake-a GC 'has("prevResult")')" false "  and no prevResult"
is "$(grep -v '^PWD=\|^SHLVL=\|^_=' "$BIN/fake-a.GC.env" | tr '\n' ' ')" \
	"CNI_COMMAND=GC CNI_PATH=$BIN PATH=$PATH " "  environment: CNI_COMMAND, CNI_PATH, PATH"
echo '{"cniVersion":"1.1.0","name":"gcnet","disableGC":true,"plugins":['"$A"']}' >"$CONF/70-gc.conflist"
spawn $NSRUN --cni gcnet --cni-id g4 "${DIRS[@]}" -- sleep 600
wait_for added g4
reset
out=$($NSRUN --cni-gc --cni-plugin-gc)
is "$out" "nsrun: cni gcnet: no GC (disableGC)
nsrun: cni gc: 0 attachments collected, 2 live" "disableGC in the newest configuration: no GC"

# --- nsrun itself killed at each step of --cni -------------------------------------------
for step in cni-cached cni-pinned cni-added; do
	NSRUN_FAULT=$step $NSRUN_FAULTS --cni fk --cni-id "k-$step" "${DIRS[@]}" -- true
	rc=$?
	reset
	out=$($NSRUN --cni-gc | head -n 1 | sed 's/(pid [0-9]* gone)/(pid gone)/')
	addr=-
	[ $step = cni-added ] && addr=10.9.0.5
	is "$rc/$out" "137/nsrun: cni fk: collected k-$step $addr (pid gone)" \
		"killed at $step: --cni-gc collects the attachment"
	is "$(calls)" "fake-c DEL,fake-b DEL,fake-a DEL" "  DEL to every plugin, in reverse order"
	want=/run/netns/nsrun-k-$step
	[ $step = cni-cached ] && want= # not pinned yet: no namespace to name
	is "$(grep '^CNI_NETNS=' "$BIN/fake-a.DEL.env")" "CNI_NETNS=$want" "  CNI_NETNS: the pin if it holds the namespace"
	nok "  nothing pinned or cached is left" test -e "/run/netns/nsrun-k-$step" -o -e "$CACHE/k-$step.json"
done

# --- --info-fd -----------------------------------------------------------------------------
conflist 10-fk.conflist fk 1.1.0 "$A"
info=$(cni fk i1 --info-fd 3 -- true 3>&1)
is "$(jq -c 'del(.pid, .result)' <<<"$info")" \
	'{"address":"10.9.0.5","prefix":24,"gateway":"10.9.0.1","ifname":"eth0","name":"nsrun-i1","cni_id":"i1","network":"fk"}' \
	"--info-fd with --cni: address, prefix, gateway, ifname, name, ID, network"
is "$(jq -c .result.ips <<<"$info")" '[{"address":"10.9.0.5/24","gateway":"10.9.0.1","interface":2}]' "  and the result"
$NSRUN --cni-del i1

chmod 0777 "$CACHE"
$NSRUN --cni-gc 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: state directory $NSRUN_STATE_DIR/cni: not owned by the state directory's owner, or writable by others" \
	"a cache directory others may write: refused (a cache names the plugins root runs)"
chmod 0700 "$CACHE"

is "$(ls /run/netns | tr '\n' ' ')" "nsrun-g1 nsrun-g4 " "at the end: only the live attachments are pinned"
done_testing
