/* SPDX-License-Identifier: MIT */
/* --list's rendering: ages, command lines, the table, the JSON rows. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/list.h"

static void test_age(void **state)
{
	static const struct {
		int64_t s;
		const char *want;
	} cases[] = {
		{ -5, "0s" },
		{ 0, "0s" },
		{ 59, "59s" },
		{ 60, "1m00s" },
		{ 61, "1m01s" },
		{ 3599, "59m59s" },
		{ 3600, "1h00m" },
		{ 7322, "2h02m" },
		{ 86399, "23h59m" },
		{ 86400, "1d00h" },
		{ 90000, "1d01h" },
		{ 8640000, "100d00h" },
		{ INT64_MAX, "106751991167300d15h" },
	};
	char buf[NSRUN_LIST_AGE_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nsrun_list_age(cases[i].s, buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_command_text(void **state)
{
	static const struct {
		const char *argv;
		size_t len;
		const char *want;
	} cases[] = {
		{ "sleep\0"
		  "600\0",
		  10, "sleep 600" },
		{ "sleep\0"
		  "600",
		  9, "sleep 600" },	   /* no final NUL */
		{ "a\0\0b\0", 5, "a  b" }, /* an empty argument */
		{ "", 0, "" },
		{ "x\ny\tz\x1b[1m\x7f\0", 11, "x\\x0ay\\x09z\\x1b[1m\\x7f" },
		{ "back\\slash\0", 11, "back\\x5cslash" },
		{ "caf\xc3\xa9\xff\0", 7, "caf\\xc3\\xa9\\xff" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = nsrun_list_command_text(cases[i].argv, cases[i].len);

		assert_non_null(got);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
		free(got);
	}
}

static struct nsrun_list_row row(const char *addr, const char *bridge, const char *netns,
				 bool named, int pid, const char *argv, size_t len)
{
	struct nsrun_list_row r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(nsrun_addr_parse(addr, &r.lease.addr), 0);
	r.lease.state = NSRUN_LEASE_WIRED;
	r.lease.pid = pid;
	r.lease.ifindex = 7;
	nsrun_lease_ifname(&r.lease.addr, 0, r.lease.ifname);
	snprintf(r.lease.netns, sizeof(r.lease.netns), "%s", netns);
	r.lease.created = 1000;
	snprintf(r.bridge, sizeof(r.bridge), "%s", bridge);
	r.named = named;
	r.argv = (char *)argv;
	r.argv_len = len;
	return r;
}

static void test_table(void **state)
{
	struct nsrun_list_row rows[3];
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	rows[0] = row("10.47.0.2", "nsrun0", "", false, 42,
		      "sleep\0"
		      "600\0",
		      10);
	rows[1] = row("10.47.0.10", "nsrun0", "database-primary", true, 1234567, NULL, 0);
	rows[2] = row("192.168.1.1", "br1", "gone", false, 7, "sh\0-c\0echo \x1b[2J\0", 16);
	rows[2].lease.state = NSRUN_LEASE_PENDING;
	f = open_memstream(&buf, &size);
	assert_non_null(f);
	assert_int_equal(nsrun_list_table(f, rows, 3, 1000 + 3725), 0);
	fclose(f);
	assert_string_equal(
		buf,
		"ADDRESS      BRIDGE  STATE        PID  NAME              VETH           AGE  "
		"COMMAND\n"
		"10.47.0.2    nsrun0  wired         42  -                 nsr0a2f0002  1h02m  "
		"sleep 600\n"
		"10.47.0.10   nsrun0  wired    1234567  database-primary  nsr0a2f000a  1h02m  -\n"
		"192.168.1.1  br1     pending        7  -                 nsrc0a80101  1h02m  sh "
		"-c echo \\x1b[2J\n");
	free(buf);

	/* No rows: the header alone, at the headers' widths. */
	buf = NULL;
	f = open_memstream(&buf, &size);
	assert_non_null(f);
	assert_int_equal(nsrun_list_table(f, NULL, 0, 0), 0);
	fclose(f);
	assert_string_equal(buf, "ADDRESS  BRIDGE  STATE  PID  NAME  VETH  AGE  COMMAND\n");
	free(buf);
}

static void test_json_rows(void **state)
{
	/* argv with a quote, a backslash, a newline, ESC, invalid UTF-8, an
	 * empty argument, and one argument longer than the rest. */
	static const char argv[] = "py\0-c\0a\"b\\c\nd\x1b\xff\0\0last";
	struct nsrun_list_row rows[2];
	struct nsrun_json j;

	(void)state;
	rows[0] = row("10.47.0.2", "nsrun0", "web1", true, 42, argv, sizeof(argv) - 1);
	rows[1] = row("10.47.0.3", "nsrun0", "stale-name", false, 43, NULL, 0);
	rows[1].lease.state = NSRUN_LEASE_PENDING;
	rows[1].lease.created = 2000; /* in the future: age 0 */
	nsrun_json_init(&j);
	nsrun_list_json(&j, rows, 2, 1500);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(
		j.buf,
		"[{\"address\":\"10.47.0.2\",\"bridge\":\"nsrun0\",\"state\":\"wired\",\"pid\":42,"
		"\"name\":\"web1\",\"host_ifname\":\"nsr0a2f0002\",\"created\":1000,\"age\":500,"
		"\"command\":[\"py\",\"-c\",\"a\\\"b\\\\c\\u000ad\\u001b\\ufffd\",\"\",\"last\"]},"
		"{\"address\":\"10.47.0.3\",\"bridge\":\"nsrun0\",\"state\":\"pending\",\"pid\":43,"
		"\"name\":null,\"host_ifname\":\"nsr0a2f0003\",\"created\":2000,\"age\":0,"
		"\"command\":null}]\n");
	nsrun_json_free(&j);

	/* An empty cmdline is one empty argument, not none. */
	rows[0] = row("10.47.0.2", "nsrun0", "", false, 42, "", 0);
	nsrun_json_init(&j);
	nsrun_list_json(&j, rows, 1, 1000);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_non_null(strstr(j.buf, "\"command\":[\"\"]"));
	nsrun_json_free(&j);

	nsrun_json_init(&j);
	nsrun_list_json(&j, NULL, 0, 0);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(j.buf, "[]\n");
	nsrun_json_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_command_text),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
