/* SPDX-License-Identifier: MIT */
/* policy.c: the strict parser (every malformed line), the matcher and the
 * check of a whole request, against a fake user database. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/cli.h"
#include "nsrun/policy.h"

#define OPT(name) (UINT64_C(1) << nsrun_cli_option_index(name))

/* ---- parser: good files ---------------------------------------------------- */

static struct nsrun_policy parse_ok(const char *text)
{
	struct nsrun_policy p;
	struct nsrun_err err = { 0 };

	if (nsrun_policy_parse(text, strlen(text), &p, &err) < 0)
		fail_msg("parse failed: %s\n--- text ---\n%s", err.msg, text);
	return p;
}

static void test_parse_user_rule(void **state)
{
	struct nsrun_policy p = parse_ok("allow user alice bridge br1\n");

	(void)state;
	assert_int_equal(p.nrules, 1);
	assert_int_equal(p.rules[0].line, 1);
	assert_false(p.rules[0].group);
	assert_string_equal(p.rules[0].name, "alice");
	assert_int_equal(p.rules[0].nbridges, 1);
	assert_string_equal(p.rules[0].bridges[0], "br1");
	assert_true(p.rules[0].options == 0);
	assert_false(p.rules[0].create);
	nsrun_policy_free(&p);
	assert_null(p.rules);
}

static void test_parse_group_rule_with_options(void **state)
{
	struct nsrun_policy p = parse_ok("allow group lbtest bridge br1,br2 options ip,create,mac");

	(void)state;
	assert_int_equal(p.nrules, 1);
	assert_true(p.rules[0].group);
	assert_string_equal(p.rules[0].name, "lbtest");
	assert_int_equal(p.rules[0].nbridges, 2);
	assert_string_equal(p.rules[0].bridges[1], "br2");
	assert_true(p.rules[0].create);
	assert_true(p.rules[0].options == (OPT("ip") | OPT("mac")));
	nsrun_policy_free(&p);
}

static void test_parse_comments_blanks_whitespace(void **state)
{
	struct nsrun_policy p = parse_ok("# nsrun policy\n"
					 "\n"
					 "   \t \n"
					 "\tallow  user\tbob   bridge br0  # trailing comment\n"
					 "allow user carol bridge br0#glued comment\n"
					 "# allow user mallory bridge br0\n"
					 "allow user build$ bridge br0 options seccomp,cap-add");

	(void)state;
	assert_int_equal(p.nrules, 3);
	assert_string_equal(p.rules[0].name, "bob");
	assert_int_equal(p.rules[0].line, 4);
	assert_string_equal(p.rules[1].name, "carol");
	assert_int_equal(p.rules[1].line, 5);
	assert_string_equal(p.rules[2].name, "build$");
	assert_true(p.rules[2].options == (OPT("seccomp") | OPT("cap-add")));
	nsrun_policy_free(&p);
}

static void test_parse_empty(void **state)
{
	struct nsrun_policy p = parse_ok("");

	(void)state;
	assert_int_equal(p.nrules, 0);
	p = parse_ok("\n\n# only comments\n");
	assert_int_equal(p.nrules, 0);
}

static void test_parse_numeric_and_long_names(void **state)
{
	struct nsrun_policy p = parse_ok("allow user 1000 bridge br-lb.0_x\n"
					 "allow group abcdefghijklmnopqrstuvwxyz012345 bridge abcdefghijklmno\n");

	(void)state;
	assert_int_equal(p.nrules, 2);
	assert_string_equal(p.rules[0].name, "1000");
	assert_string_equal(p.rules[0].bridges[0], "br-lb.0_x");
	assert_string_equal(p.rules[1].bridges[0], "abcdefghijklmno");
	nsrun_policy_free(&p);
}

/* ---- parser: every malformed line --------------------------------------------- */

struct bad_row {
	const char *name;
	const char *text;
	const char *msg;
};

static const struct bad_row bad_rows[] = {
	{ "unknown rule", "deny user alice bridge br1",
	  "line 1: unknown rule \"deny\" (expected \"allow\")" },
	{ "capitalised keyword", "Allow user alice bridge br1",
	  "line 1: unknown rule \"Allow\" (expected \"allow\")" },
	{ "allow alone", "allow", "line 1: expected \"user\" or \"group\" after \"allow\"" },
	{ "allow what", "allow everyone bridge br1",
	  "line 1: expected \"user\" or \"group\" after \"allow\"" },
	{ "no user name", "allow user", "line 1: missing the user name" },
	{ "no group name", "allow group", "line 1: missing the group name" },
	{ "bad user name", "allow user al/ice bridge br1",
	  "line 1: user name \"al/ice\": only letters, digits, '_', '.' and '-' are allowed" },
	{ "user name with dash first", "allow user -alice bridge br1",
	  "line 1: user name \"-alice\": starts with '-' or '.'" },
	{ "group name too long", "allow group abcdefghijklmnopqrstuvwxyz0123456 bridge br1",
	  "line 1: group name \"abcdefghijklmnopqrstuvwxyz0123456\": longer than 32 bytes" },
	{ "dollar not last", "allow user a$b bridge br1",
	  "line 1: user name \"a$b\": only letters, digits, '_', '.' and '-' are allowed" },
	{ "no bridge keyword", "allow user alice", "line 1: expected \"bridge\" after the user name" },
	{ "wrong bridge keyword", "allow user alice bridges br1",
	  "line 1: expected \"bridge\" after the user name" },
	{ "no bridge keyword, group", "allow group lb br1",
	  "line 1: expected \"bridge\" after the group name" },
	{ "no bridge list", "allow user alice bridge",
	  "line 1: missing the bridge list after \"bridge\"" },
	{ "bridge name too long", "allow user alice bridge abcdefghijklmnop",
	  "line 1: bridge \"abcdefghijklmnop\": longer than 15 bytes" },
	{ "bridge name with slash", "allow user alice bridge br/1",
	  "line 1: bridge \"br/1\": contains '/' or ':'" },
	{ "bridge name dot dot", "allow user alice bridge ..",
	  "line 1: bridge \"..\": not a valid interface name" },
	{ "empty bridge in list", "allow user alice bridge br1,,br2",
	  "line 1: bridge list \"br1,,br2\": empty name (separate names with a comma, no spaces)" },
	{ "trailing comma", "allow user alice bridge br1,",
	  "line 1: bridge list \"br1,\": empty name (separate names with a comma, no spaces)" },
	{ "leading comma", "allow user alice bridge ,br1",
	  "line 1: bridge list \",br1\": empty name (separate names with a comma, no spaces)" },
	{ "space after comma", "allow user alice bridge br1, br2",
	  "line 1: bridge list \"br1,\": empty name (separate names with a comma, no spaces)" },
	{ "bridge twice", "allow user alice bridge br1,br2,br1",
	  "line 1: bridge br1: listed twice" },
	{ "unknown word after bridges", "allow user alice bridge br1 nat",
	  "line 1: unexpected \"nat\" (expected \"options\" or the end of the line)" },
	{ "no option list", "allow user alice bridge br1 options",
	  "line 1: missing the option list after \"options\"" },
	{ "unknown option", "allow user alice bridge br1 options frobnicate",
	  "line 1: option \"frobnicate\": not an nsrun option" },
	{ "option with dashes", "allow user alice bridge br1 options --ip",
	  "line 1: option \"--ip\": not an nsrun option" },
	{ "root-only option state-dir", "allow user alice bridge br1 options state-dir",
	  "line 1: option \"state-dir\": root only: no policy can grant it" },
	{ "root-only option user", "allow user alice bridge br1 options ip,user",
	  "line 1: option \"user\": root only: no policy can grant it" },
	{ "always-allowed option", "allow user alice bridge br1 options mtu",
	  "line 1: option \"mtu\": always allowed: nothing to grant" },
	{ "subnet is create", "allow user alice bridge br1 options subnet",
	  "line 1: option \"subnet\": granted by \"create\"" },
	{ "option twice", "allow user alice bridge br1 options ip,mac,ip",
	  "line 1: option ip: listed twice" },
	{ "create twice", "allow user alice bridge br1 options create,create",
	  "line 1: option create: listed twice" },
	{ "empty option", "allow user alice bridge br1 options ip,",
	  "line 1: option list \"ip,\": empty name (separate names with a comma, no spaces)" },
	{ "word after options", "allow user alice bridge br1 options ip please",
	  "line 1: unexpected \"please\" after the option list" },
	{ "many words after options", "allow user alice bridge br1 options ip a b c d",
	  "line 1: unexpected \"please\" after the option list" },
	{ "carriage return", "allow user alice bridge br1\r\n",
	  "line 1: control character or non-ASCII byte 0x0d" },
	{ "non-ASCII", "allow user al\xc3\xaf" "ce bridge br1",
	  "line 1: control character or non-ASCII byte 0xc3" },
	{ "NUL byte", NULL, "line 2: contains a NUL byte" },
	{ "line too long", NULL, "line 1: longer than 4096 bytes" },
	{ "error on a later line", "# ok\nallow user alice bridge br1\n\nallow user bob bridge\n",
	  "line 4: missing the bridge list after \"bridge\"" },
};

static void test_parse_bad(void **state)
{
	static char nul_text[] = "allow user a bridge b\nallow user\0x bridge b\n";
	static char long_text[NSRUN_POLICY_LINE_MAX + 32];

	(void)state;
	memset(long_text, ' ', sizeof(long_text) - 1);
	memcpy(long_text, "allow user a bridge b", 21);
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *row = &bad_rows[i];
		struct nsrun_policy p = { 0 };
		struct nsrun_err err = { 0 };
		const char *text = row->text;
		size_t len = text ? strlen(text) : 0;
		const char *want = row->msg;
		int rc;

		if (!text && strstr(row->msg, "NUL")) {
			text = nul_text;
			len = sizeof(nul_text) - 1;
		} else if (!text) {
			text = long_text;
			len = sizeof(long_text) - 1;
		}
		/* "many words": the first extra word is what is reported. */
		if (strstr(row->name, "many words"))
			want = "line 1: unexpected \"a\" after the option list";
		rc = nsrun_policy_parse(text, len, &p, &err);
		if (rc != -EINVAL || strcmp(err.msg, want) != 0)
			fail_msg("%s: rc %d, message\n  got:  %s\n  want: %s", row->name, rc, err.msg,
				 want);
		/* Nothing is kept from a bad file. */
		assert_null(p.rules);
		assert_int_equal(p.nrules, 0);
	}
}

/* ---- matching -------------------------------------------------------------------- */

/* The fake user database: alice is in lbtest and wheel, bob in nothing. */
struct fake {
	const char *user;
	const char *groups[4];
};

static bool fake_is_user(void *ctx, const char *name)
{
	return !strcmp(((struct fake *)ctx)->user, name);
}

static bool fake_in_group(void *ctx, const char *name)
{
	const struct fake *f = ctx;

	for (int i = 0; f->groups[i]; i++)
		if (!strcmp(f->groups[i], name))
			return true;
	return false;
}

static struct fake alice = { "alice", { "alice", "lbtest", "wheel", NULL } };
static struct fake bob = { "bob", { "bob", NULL } };

static struct nsrun_policy_who who_of(struct fake *f)
{
	struct nsrun_policy_who w = { f->user, fake_is_user, fake_in_group, f };

	return w;
}

static const char policy_text[] = "allow user alice bridge br1\n"
				  "allow group lbtest bridge br1,br2 options ip\n"
				  "allow user alice bridge br2 options create\n"
				  "allow group wheel bridge br3 options mac,seccomp,cap-add\n"
				  "allow user bob bridge br4\n";

static void test_match(void **state)
{
	struct nsrun_policy p = parse_ok(policy_text);
	struct nsrun_policy_who a = who_of(&alice), b = who_of(&bob);
	struct nsrun_policy_grant g;

	(void)state;
	nsrun_policy_match(&p, "br1", &a, &g);
	assert_true(g.bridge);
	assert_true(g.options == OPT("ip")); /* union of lines 1 and 2 */
	assert_false(g.create);
	nsrun_policy_match(&p, "br2", &a, &g);
	assert_true(g.bridge);
	assert_true(g.options == OPT("ip"));
	assert_true(g.create);
	nsrun_policy_match(&p, "br3", &a, &g);
	assert_true(g.options == (OPT("mac") | OPT("seccomp") | OPT("cap-add")));
	nsrun_policy_match(&p, "br4", &a, &g);
	assert_false(g.bridge);
	nsrun_policy_match(&p, "br1", &b, &g);
	assert_false(g.bridge);
	nsrun_policy_match(&p, "br4", &b, &g);
	assert_true(g.bridge);
	assert_true(g.options == 0);
	/* Exact names only: no prefix, no truncation. */
	nsrun_policy_match(&p, "br", &a, &g);
	assert_false(g.bridge);
	nsrun_policy_match(&p, "br10", &a, &g);
	assert_false(g.bridge);
	nsrun_policy_free(&p);
}

/* ---- the whole request --------------------------------------------------------- */

static int check(const char *const *args, const char *env_state_dir, struct fake *f,
		 struct nsrun_policy_grant *g, struct nsrun_err *err)
{
	struct nsrun_policy p = parse_ok(policy_text);
	struct nsrun_policy_who w = who_of(f);
	struct nsrun_config cfg;
	char *argv[32];
	int argc = 0, rc;

	argv[argc++] = (char *)"nsrun";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc++] = (char *)"true";
	argv[argc] = NULL;
	if (nsrun_cli_parse(argc, argv, env_state_dir, &cfg, err) < 0)
		fail_msg("cli: %s", err->msg);
	rc = nsrun_policy_check(&p, &cfg, &w, g, err);
	nsrun_policy_free(&p);
	return rc;
}

struct check_row {
	const char *name;
	const char *args[12];
	const char *env;
	struct fake *who;
	const char *msg; /* NULL: allowed */
};

static const struct check_row check_rows[] = {
	{ "allowed bridge", { "--bridge", "br1" }, NULL, &alice, NULL },
	{ "allowed through a group", { "-b", "br2", "--ip", "10.0.0.2" }, NULL, &alice, NULL },
	{ "harmless options", { "-b", "br1", "--mtu", "1400", "--ifname", "n0", "-v", "--cap-drop", "ALL" },
	  NULL, &alice, NULL },
	{ "seccomp default is always allowed", { "-b", "br1", "--seccomp", "default" }, NULL, &alice,
	  NULL },
	{ "bridge not allowed", { "-b", "br4" }, NULL, &alice,
	  "bridge br4: not allowed for user alice (add \"allow user alice bridge br4\" to %s)" },
	{ "default bridge not allowed", { NULL }, NULL, &bob,
	  "bridge nsrun0: not allowed for user bob (add \"allow user bob bridge nsrun0\" to %s)" },
	{ "option not granted", { "-b", "br1", "--mac", "02:00:00:00:00:01" }, NULL, &alice,
	  "--mac: not allowed for user alice (add \"allow user alice bridge br1 options mac\" to %s)" },
	{ "ip not granted to bob", { "-b", "br4", "--ip", "10.0.0.2" }, NULL, &bob,
	  "--ip: not allowed for user bob (add \"allow user bob bridge br4 options ip\" to %s)" },
	{ "subnet needs create", { "-b", "br1", "--subnet", "10.9.0.0/24" }, NULL, &alice,
	  "--subnet: not allowed for user alice (add \"allow user alice bridge br1 options create\" to %s)" },
	{ "subnet with create", { "-b", "br2", "--subnet", "10.9.0.0/24" }, NULL, &alice, NULL },
	{ "seccomp none needs a grant", { "-b", "br1", "--seccomp", "none" }, NULL, &alice,
	  "--seccomp: not allowed for user alice (add \"allow user alice bridge br1 options seccomp\" to %s)" },
	{ "seccomp none granted", { "-b", "br3", "--seccomp", "none" }, NULL, &alice, NULL },
	{ "state-dir", { "-b", "br1", "--state-dir", "/tmp/x" }, NULL, &alice,
	  "--state-dir: not allowed for user alice (root only; no policy line allows it)" },
	{ "NSRUN_STATE_DIR", { "-b", "br1" }, "/tmp/x", &alice,
	  "NSRUN_STATE_DIR: not allowed for user alice (root only; no policy line allows it)" },
	{ "user", { "--user", "bob", "-b", "br1" }, NULL, &alice,
	  "--user: not allowed for user alice (root only; no policy line allows it)" },
	{ "root-only beats the bridge", { "-b", "br9", "--state-dir", "/tmp/x" }, NULL, &alice,
	  "--state-dir: not allowed for user alice (root only; no policy line allows it)" },
	{ "cap-add not granted", { "-b", "br1", "--cap-add", "NET_RAW" }, NULL, &alice,
	  "--cap-add: not allowed for user alice (add \"allow user alice bridge br1 options cap-add\" to %s)" },
	{ "cap-add granted", { "-b", "br3", "--cap-add", "NET_RAW", "--cap-add", "net_bind_service" },
	  NULL, &alice, NULL },
	{ "cap-add beyond the grantable", { "-b", "br3", "--cap-add", "SYS_ADMIN" }, NULL, &alice,
	  "--cap-add SYS_ADMIN: not allowed for user alice (a policy can grant only NET_BIND_SERVICE and NET_RAW, with \"options cap-add\")" },
	{ "cap-add ALL", { "-b", "br3", "--cap-add", "all" }, NULL, &alice,
	  "--cap-add ALL: not allowed for user alice (a policy can grant only NET_BIND_SERVICE and NET_RAW, with \"options cap-add\")" },
};

/* The message with its "%s" replaced by the policy path. */
static void expand(const char *msg, char *out, size_t size)
{
	const char *at = strstr(msg, "%s");

	if (!at)
		snprintf(out, size, "%s", msg);
	else
		snprintf(out, size, "%.*s%s%s", (int)(at - msg), msg, nsrun_policy_path(), at + 2);
}

static void test_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(check_rows) / sizeof(check_rows[0]); i++) {
		const struct check_row *row = &check_rows[i];
		struct nsrun_policy_grant g;
		struct nsrun_err err = { 0 };
		char want[NSRUN_ERR_MSG_MAX];
		int rc = check(row->args, row->env, row->who, &g, &err);

		if (!row->msg) {
			if (rc != 0)
				fail_msg("%s: refused: %s", row->name, err.msg);
			assert_true(g.bridge);
			continue;
		}
		expand(row->msg, want, sizeof(want));
		if (rc != -EPERM || strcmp(err.msg, want) != 0)
			fail_msg("%s: rc %d\n  got:  %s\n  want: %s", row->name, rc, err.msg, want);
	}
}

static void test_refuse_create_message(void **state)
{
	struct nsrun_policy_who w = { .name = "alice" };
	struct nsrun_err err = { 0 };
	char want[NSRUN_ERR_MSG_MAX];

	(void)state;
	assert_int_equal(nsrun_policy_refuse_create(&w, "nsrun0", &err), -EPERM);
	snprintf(want, sizeof(want),
		 "bridge nsrun0: does not exist, and creating it is not allowed for user alice (add \"allow user alice bridge nsrun0 options create\" to %s)",
		 nsrun_policy_path());
	assert_string_equal(err.msg, want);
}

static void test_name_rules(void **state)
{
	(void)state;
	assert_null(nsrun_policy_name_invalid("alice"));
	assert_null(nsrun_policy_name_invalid("a.b-c_d"));
	assert_null(nsrun_policy_name_invalid("1000"));
	assert_null(nsrun_policy_name_invalid("machine$"));
	assert_non_null(nsrun_policy_name_invalid(""));
	assert_non_null(nsrun_policy_name_invalid(".hidden"));
	assert_non_null(nsrun_policy_name_invalid("a b"));
	assert_non_null(nsrun_policy_name_invalid("a:b"));
	assert_non_null(nsrun_policy_name_invalid("$"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_user_rule),
		cmocka_unit_test(test_parse_group_rule_with_options),
		cmocka_unit_test(test_parse_comments_blanks_whitespace),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_numeric_and_long_names),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_refuse_create_message),
		cmocka_unit_test(test_name_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
