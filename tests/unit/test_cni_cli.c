/* SPDX-License-Identifier: MIT */
/* Parsing of --cni and its options and actions: good values, bad values,
 * the options --cni replaces, the options that need it. */
#include <errno.h>

#include "unit.h"

static const struct bad_case {
	const char *name;
	const char *const *args;
	const char *msg;
} bad_cases[] = {
	{ "network with a space", ARGS("--cni", "a b", "true"),
	  "--cni a b: only letters, digits, '_', '.' and '-' are allowed" },
	{ "network empty", ARGS("--cni", "", "true"), "--cni : empty" },
	{ "ID with a slash", ARGS("--cni", "n", "--cni-id", "a/b", "true"),
	  "--cni-id a/b: only letters, digits, '_', '.' and '-' are allowed" },
	{ "ID starting with a dot", ARGS("--cni", "n", "--cni-id", ".a", "true"),
	  "--cni-id .a: must start with a letter or a digit" },
	{ "ID too long",
	  ARGS("--cni", "n", "--cni-id",
	       "0123456789012345678901234567890123456789012345678901234567", "true"),
	  "--cni-id 0123456789012345678901234567890123456789012345678901234567: longer than 57 "
	  "bytes" },
	{ "ifname lo", ARGS("--cni", "n", "--cni-ifname", "lo", "true"),
	  "--cni-ifname lo: the loopback interface's name" },
	{ "ifname too long", ARGS("--cni", "n", "--cni-ifname", "a234567890123456", "true"),
	  "--cni-ifname a234567890123456: longer than 15 bytes" },
	{ "args without =", ARGS("--cni", "n", "--cni-args", "K", "true"),
	  "--cni-args K: a key without '=VALUE'" },
	{ "args with a space", ARGS("--cni", "n", "--cni-args", "K=a b", "true"),
	  "--cni-args K=a b: a value holds a space or a byte that is not printable ASCII" },
	{ "cap without =", ARGS("--cni", "n", "--cni-cap", "mac", "true"),
	  "--cni-cap mac: expected NAME=JSON" },
	{ "cap without a name", ARGS("--cni", "n", "--cni-cap", "=1", "true"),
	  "--cni-cap =1: expected NAME=JSON" },
	{ "conf dir relative", ARGS("--cni", "n", "--cni-conf-dir", "net.d", "true"),
	  "--cni-conf-dir net.d: not an absolute path" },
	{ "conf dir empty", ARGS("--cni", "n", "--cni-conf-dir", "", "true"),
	  "--cni-conf-dir : empty" },
	{ "path relative", ARGS("--cni", "n", "--cni-path", "/usr/lib/cni:bin", "true"),
	  "--cni-path /usr/lib/cni:bin: a directory is not an absolute path" },
	{ "path of colons", ARGS("--cni", "n", "--cni-path", "::", "true"),
	  "--cni-path ::: empty" },
	/* what --cni replaces */
	{ "with --bridge", ARGS("--cni", "n", "-b", "br1", "true"),
	  "--bridge: does not apply to --cni (the CNI plugins wire the namespace)" },
	{ "with --ip", ARGS("--ip", "10.0.0.2", "--cni", "n", "true"),
	  "--ip: does not apply to --cni (the CNI plugins wire the namespace)" },
	{ "with --subnet", ARGS("--cni", "n", "--subnet", "10.0.0.0/24", "true"),
	  "--subnet: does not apply to --cni (the CNI plugins wire the namespace)" },
	{ "with --mac", ARGS("--cni", "n", "--mac", "02:00:00:00:00:01", "true"),
	  "--mac: does not apply to --cni (the CNI plugins wire the namespace)" },
	{ "with --mtu", ARGS("--cni", "n", "--mtu", "1400", "true"),
	  "--mtu: does not apply to --cni (the CNI plugins wire the namespace)" },
	{ "with --ifname", ARGS("--cni", "n", "--ifname", "eth1", "true"),
	  "--ifname: does not apply to --cni (use --cni-ifname)" },
	{ "with --name", ARGS("--cni", "n", "--name", "x", "true"),
	  "--name: does not apply to --cni (the namespace is pinned at /run/netns/nsrun-ID)" },
	/* what needs --cni */
	{ "--cni-id alone", ARGS("--cni-id", "x", "true"), "--cni-id: only with --cni NET" },
	{ "--cni-args alone", ARGS("--cni-args", "K=V", "true"),
	  "--cni-args: only with --cni NET" },
	{ "--cni-path alone", ARGS("--cni-path", "/x", "true"), "--cni-path: only with --cni NET" },
	{ "--cni-conf-dir alone", ARGS("--cni-conf-dir", "/x", "true"),
	  "--cni-conf-dir: only with --cni NET" },
	{ "--cni-cap alone", ARGS("--cni-cap", "a=1", "true"), "--cni-cap: only with --cni NET" },
	{ "--cni-ifname alone", ARGS("--cni-ifname", "e", "true"),
	  "--cni-ifname: only with --cni NET" },
	/* actions */
	{ "--cni-del bad ID", ARGS("--cni-del", "-x"),
	  "--cni-del -x: must start with a letter or a digit" },
	{ "--cni-del with a command", ARGS("--cni-del", "x", "true"),
	  "--cni-del: unexpected argument 'true'" },
	{ "--cni-gc with a command", ARGS("--cni-gc", "true"),
	  "--cni-gc: unexpected argument 'true'" },
	{ "--cni-del and --cni-gc", ARGS("--cni-del", "x", "--cni-gc"),
	  "--cni-gc: cannot be combined with --cni-del" },
	{ "--cni-gc and --list", ARGS("--cni-gc", "--list"),
	  "--list: cannot be combined with --cni-gc" },
	{ "--cni-del with --cni", ARGS("--cni-del", "x", "--cni", "n"),
	  "--cni: does not apply to --cni-del" },
	{ "--cni-gc with --cni-id", ARGS("--cni-gc", "--cni-id", "x"),
	  "--cni-id: does not apply to --cni-gc" },
	{ "--cni-plugin-gc in a launch", ARGS("--cni", "n", "--cni-plugin-gc", "true"),
	  "--cni-plugin-gc: does not apply to a launch" },
	{ "--cni-plugin-gc with --cni-del", ARGS("--cni-del", "x", "--cni-plugin-gc"),
	  "--cni-plugin-gc: does not apply to --cni-del" },
	{ "--cni with --join", ARGS("--join", "x", "--cni", "n", "true"),
	  "--cni: does not apply to --join" },
	{ "--cni with --list", ARGS("--list", "--cni", "n"), "--cni: does not apply to --list" },
};

static void test_bad(void **state)
{
	const struct bad_case *c = *state;
	struct nsrun_config cfg;
	struct nsrun_err err;
	int r = unit_cli_parse(&cfg, &err, c->args);

	if (r >= 0 || strcmp(err.msg, c->msg))
		fail_msg("got %d \"%s\", want \"%s\"", r, err.msg, c->msg);
}

static void test_caps_max(void **state)
{
	const char *args[2 * NSRUN_CNI_CAPS_MAX + 8] = { "--cni", "n" };
	struct nsrun_config cfg;
	struct nsrun_err err;
	size_t n = 2;

	(void)state;
	for (int i = 0; i < NSRUN_CNI_CAPS_MAX; i++) {
		args[n++] = "--cni-cap";
		args[n++] = "a=1";
	}
	args[n] = "true";
	assert_int_equal(unit_cli_parse(&cfg, &err, args), 0);
	assert_int_equal(cfg.ncni_caps, NSRUN_CNI_CAPS_MAX);
	args[n] = "--cni-cap";
	args[n + 1] = "b=2";
	args[n + 2] = "true";
	assert_int_equal(unit_cli_parse(&cfg, &err, args), -EINVAL);
	assert_string_equal(err.msg, "--cni-cap b=2: more than 16 capability arguments");
}

static void test_good(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("true")), 0);
	assert_null(cfg.cni_net);
	assert_null(cfg.cni_id);

	assert_int_equal(
		unit_cli_parse(&cfg, &err,
			       ARGS("--cni", "k8s-pod-network", "--cni-id", "web1", "--cni-ifname",
				    "net1", "--cni-args", "K8S_POD_NAME=web;IgnoreUnknown=1",
				    "--cni-cap", "portMappings=[]", "--cni-cap", "mac=\"x\"",
				    "--cni-conf-dir", "/etc/cni/net.d", "--cni-path",
				    "/opt/cni/bin::/usr/lib/cni", "--hostname", "web1", "--dns",
				    "192.0.2.53", "--info-fd", "3", "-v", "--", "server", "-p")),
		0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LAUNCH);
	assert_string_equal(cfg.cni_net, "k8s-pod-network");
	assert_string_equal(cfg.cni_id, "web1");
	assert_string_equal(cfg.cni_ifname, "net1");
	assert_string_equal(cfg.cni_args, "K8S_POD_NAME=web;IgnoreUnknown=1");
	assert_int_equal(cfg.ncni_caps, 2);
	assert_string_equal(cfg.cni_caps[1], "mac=\"x\"");
	assert_string_equal(cfg.cni_conf_dir, "/etc/cni/net.d");
	assert_string_equal(cfg.cni_path, "/opt/cni/bin::/usr/lib/cni");
	assert_string_equal(cfg.hostname, "web1");
	assert_int_equal(cfg.info_fd, 3);
	assert_string_equal(cfg.command[0], "server");
	assert_int_equal(cfg.command_argc, 2);

	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--cni-del", "web1", "--cni-path", "/x")),
			 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_CNI_DEL);
	assert_string_equal(cfg.cni_id, "web1");
	assert_string_equal(cfg.cni_path, "/x");
	assert_null(cfg.command);

	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--cni-gc")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_CNI_GC);
	assert_false(cfg.cni_plugin_gc);
	assert_int_equal(unit_cli_parse(&cfg, &err,
					ARGS("--cni-plugin-gc", "--cni-gc", "--state-dir", "/s")),
			 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_CNI_GC);
	assert_true(cfg.cni_plugin_gc);
	assert_string_equal(cfg.state_dir, "/s");
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, test_bad, bad_cases);
	UNIT(&l, test_caps_max);
	UNIT(&l, test_good);
	return unit_run(&l, "cni_cli");
}
