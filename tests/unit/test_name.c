/* SPDX-License-Identifier: MIT */
/* name.c: interface and namespace name rules, with the reason given. */
#include "unit.h"

#include "nsrun/name.h"

struct name_row {
	const char *name;
	const char *in;
	const char *why;             /* NULL: valid */
};

#define SPACE "contains a space or a non-printable byte"
#define SLASH "contains '/' or ':'"

static const struct name_row ifname_rows[] = {
	{ "eth0", "eth0", NULL },
	{ "one byte", "a", NULL },
	{ "15 bytes", "abcdefghijklmno", NULL },
	{ "vlan style", "eth0.100", NULL },
	{ "three dots", "...", NULL },
	{ "dash first", "-x", NULL },
	{ "punctuation", "br-1_a@b+c~", NULL },
	{ "16 bytes", "abcdefghijklmnop", "longer than 15 bytes" },
	{ "very long", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "longer than 15 bytes" },
	{ "empty", "", "empty name" },
	{ "dot", ".", "not a valid interface name" },
	{ "dot dot", "..", "not a valid interface name" },
	{ "space", "br 1", SPACE },
	{ "leading space", " br1", SPACE },
	{ "tab", "br\t1", SPACE },
	{ "newline", "br1\n", SPACE },
	{ "control byte", "br\x01", SPACE },
	{ "DEL", "br\x7f", SPACE },
	{ "UTF-8", "br\xc3\xa9", SPACE },
	{ "byte 0xff", "\xff", SPACE },
	{ "slash", "br/1", SLASH },
	{ "colon", "eth0:1", SLASH },
	{ "slash only", "/", SLASH },
};

/* The rule accepts the row's name, or refuses it for the row's reason. */
static void check_rule(const struct name_row *row, const char *(*rule)(const char *))
{
	const char *why = rule(row->in);

	if (!row->why && why)
		fail_msg("\"%s\" refused: %s", row->in, why);
	if (row->why)
		assert_string_equal(why ? why : "(accepted)", row->why);
}

static void ifname(void **state)
{
	check_rule(*state, nsrun_ifname_invalid);
}

#define ONLY "only letters, digits, '_', '.' and '-' are allowed"
#define START "starts with '-' or '.'"

static const struct name_row netns_rows[] = {
	{ "plain", "web", NULL },
	{ "one byte", "a", NULL },
	{ "every allowed kind", "Web-1_a.b", NULL },
	{ "digit first", "1st", NULL },
	{ "underscore first", "_x", NULL },
	{ "63 bytes", "n23456789012345678901234567890123456789012345678901234567890123", NULL },
	{ "64 bytes", "n234567890123456789012345678901234567890123456789012345678901234",
	  "longer than 63 bytes" },
	{ "empty", "", "empty name" },
	{ "dash first", "-web", START },
	{ "dot first", ".web", START },
	{ "dot", ".", START },
	{ "dot dot", "..", START },
	{ "slash", "a/b", ONLY },
	{ "space", "a b", ONLY },
	{ "colon", "a:b", ONLY },
	{ "tab", "a\tb", ONLY },
	{ "newline", "a\n", ONLY },
	{ "plus", "a+b", ONLY },
	{ "at", "a@b", ONLY },
	{ "UTF-8", "caf\xc3\xa9", ONLY },
	{ "DEL", "a\x7f", ONLY },
};

static void netns_name(void **state)
{
	check_rule(*state, nsrun_netns_name_invalid);
}

/* The lease file writes netns names as "-" when there is none: "-" itself
 * must never be a valid name. */
static void netns_dash_is_not_a_name(void **state)
{
	(void)state;
	assert_non_null(nsrun_netns_name_invalid("-"));
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, ifname, ifname_rows);
	UNIT_TABLE(&l, netns_name, netns_rows);
	UNIT(&l, netns_dash_is_not_a_name);
	return unit_run(&l, "name");
}
