/* SPDX-License-Identifier: MIT */
/*
 * Strictness: every malformed lease file is refused with its line named,
 * every malformed veth alias is refused, and every message nsrun prints is
 * one line whatever it quotes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "nsrun/lease.h"
#include "nsrun/log.h"

#define HEAD "nsrun-leases 1\nbridge br1 ifindex 7 mac-pinned 1\n"
#define L2 "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n"

static void test_lease_file_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} rows[] = {
		{ "", "line 1: empty file" },
		{ "nsrun-leases 1", "line 1: truncated (no newline at end)" },
		{ "\n", "line 1: empty line" },
		{ "nsrun-leases\t1\n", "line 1: non-printable byte 0x09" },
		{ "nsrun-leases 1\r\n", "line 1: non-printable byte 0x0d" },
		{ "nsrun-leases \xc3\xa9\n", "line 1: non-printable byte 0xc3" },
		{ "nsrun-leases  1\n", "line 1: malformed (fields must be separated by one space)" },
		{ "nsrun-leases 1 \n", "line 1: malformed (fields must be separated by one space)" },
		{ " nsrun-leases 1\n", "line 1: malformed (fields must be separated by one space)" },
		{ "leases 1\n", "line 1: not an nsrun lease file" },
		{ "nsrun-leases 1 2\n", "line 1: not an nsrun lease file" },
		{ "nsrun-leases 2\n", "line 1: unsupported version \"2\" (expected 1)" },
		{ "nsrun-leases 01\n", "line 1: unsupported version \"01\" (expected 1)" },
		{ "nsrun-leases 1\n", "line 2: missing \"bridge\" line" },
		{ "nsrun-leases 1\nbridge br1\n", "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\"" },
		{ "nsrun-leases 1\nbridge br1 ifindx 7 mac-pinned 1\n",
		  "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\"" },
		{ "nsrun-leases 1\nbridge br2 ifindex 7 mac-pinned 1\n",
		  "line 2: file belongs to bridge \"br2\", not br1" },
		{ "nsrun-leases 1\nbridge br1 ifindex -7 mac-pinned 1\n", "line 2: bad ifindex \"-7\"" },
		{ "nsrun-leases 1\nbridge br1 ifindex 7 mac-pinned yes\n", "line 2: mac-pinned must be 0 or 1" },
		{ HEAD "leese 10.0.0.2\n", "line 3: unknown record \"leese\"" },
		{ HEAD "lease 10.0.0.2 wired\n", "line 3: expected 15 fields, found 3" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - created 1 x\n",
		  "line 3: expected 15 fields, found 16" },
		{ HEAD "lease 10.0.0.2 wired PID 42 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: expected \"pid\" as field 4" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - born 1\n",
		  "line 3: expected \"created\" as field 14" },
		{ HEAD "lease 10.0.0 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad address \"10.0.0\"" },
		{ HEAD "lease 10.0.0.2 up pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad state \"up\"" },
		{ HEAD "lease 10.0.0.2 wired pid 0 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad pid \"0\"" },
		{ HEAD "lease 10.0.0.2 wired pid 042 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad pid \"042\"" },
		{ HEAD "lease 10.0.0.2 wired pid 2147483648 start 9 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad pid \"2147483648\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 18446744073709551616 ifindex 12 ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad start time \"18446744073709551616\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex x ifname nsr0a000002 netns - created 1\n",
		  "line 3: bad ifindex \"x\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 0 ifname nsr0a000002 netns - created 1\n",
		  "line 3: a wired lease has an ifindex, a pending one has 0" },
		{ HEAD "lease 10.0.0.2 pending pid 42 start 9 ifindex 3 ifname nsr0a000002 netns - created 1\n",
		  "line 3: a wired lease has an ifindex, a pending one has 0" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr/0a000002 netns - created 1\n",
		  "line 3: bad ifname \"nsr/0a000002\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002xxxxx netns - created 1\n",
		  "line 3: bad ifname \"nsr0a000002xxxxx\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns .x created 1\n",
		  "line 3: bad netns name \".x\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns a/b created 1\n",
		  "line 3: bad netns name \"a/b\"" },
		{ HEAD "lease 10.0.0.2 wired pid 42 start 9 ifindex 12 ifname nsr0a000002 netns - created -1\n",
		  "line 3: bad creation time \"-1\"" },
		{ HEAD L2 "\n", "line 4: empty line" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct nsrun_lease_table t;
		struct nsrun_err err = { 0 };

		assert_int_equal(nsrun_lease_table_parse(&t, "br1", rows[i].text, strlen(rows[i].text),
							 &err),
				 -EINVAL);
		assert_string_equal(err.msg, rows[i].msg);
		assert_null(t.v); /* nothing half-parsed is left to use */
	}
}

static void test_lease_line_too_long(void **state)
{
	char text[1024];
	struct nsrun_lease_table t;
	struct nsrun_err err;

	(void)state;
	snprintf(text, sizeof(text), HEAD "lease %0600d\n", 0);
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, strlen(text), &err), -EINVAL);
	assert_string_equal(err.msg, "line 3: longer than 512 bytes");
}

static void test_lease_file_sorted(void **state)
{
	const char *text = HEAD
		"lease 10.0.0.9 pending pid 7 start 1 ifindex 0 ifname nsr0a000009 netns web-1 created 5\n" L2;
	struct nsrun_lease_table t;
	struct nsrun_err err;
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, strlen(text), &err), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.bridge_ifindex, 7);
	assert_true(t.mac_pinned);
	assert_int_equal(nsrun_lease_table_format(&t, &out, &len), 0);
	assert_string_equal(out, HEAD L2
			    "lease 10.0.0.9 pending pid 7 start 1 ifindex 0 ifname nsr0a000009 netns web-1 created 5\n");
	free(out);
	nsrun_lease_table_free(&t);
}

static void test_alias(void **state)
{
	static const char *const bad[] = {
		"",
		"nsrun 1 10.0.0.2/24 pid 4 start 5 netns - created",
		"nsrun 2 10.0.0.2/24 pid 4 start 5 netns - created 6",
		"nsrun 1 10.0.0.2/33 pid 4 start 5 netns - created 6",
		"nsrun 1 10.0.0.2/24 pid 0 start 5 netns - created 6",
		"nsrun 1 10.0.0.2/24 pid 4 start x netns - created 6",
		"nsrun 1 10.0.0.2/24 pid 4 start 5 netns -x created 6",
		"nsrun 1 10.0.0.2/24 pid 4 start 5 netns - created -6",
		"nsrun 1 10.0.0.2/24 pid 4 start 5 netns - made 6",
		"nsrun  1 10.0.0.2/24 pid 4 start 5 netns - created 6",
		"eth0 uplink",
	};
	struct nsrun_lease l = { .addr = nsrun_addr_v4(0x0a000002), .pid = 4, .start = 5, .created = 6 };
	struct nsrun_lease back;
	char alias[NSRUN_ALIAS_MAX], huge[NSRUN_ALIAS_MAX + 8];
	unsigned int len = 0;

	(void)state;
	strcpy(l.netns, "web-1");
	assert_int_equal(nsrun_lease_alias_format(&l, 24, alias), 0);
	assert_string_equal(alias, "nsrun 1 10.0.0.2/24 pid 4 start 5 netns web-1 created 6");
	assert_int_equal(nsrun_lease_alias_parse(alias, &back, &len), 0);
	assert_int_equal(len, 24);
	assert_int_equal(back.pid, 4);
	assert_string_equal(back.netns, "web-1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nsrun_lease_alias_parse(bad[i], &back, &len), -EINVAL);
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	assert_int_equal(nsrun_lease_alias_parse(huge, &back, &len), -EINVAL);
}

/* Runs fn with stderr in a file; returns what it printed. */
static char *capture_stderr(void (*fn)(void))
{
	static char buf[4096];
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void print_hostile(void)
{
	nsrun_log_init(NSRUN_LOG_NORMAL);
	nsrun_log_error("--bridge %s: bad", "a\nb\x1b[2J\x7f\tc\xc3\xa9");
}

static void print_quiet(void)
{
	nsrun_log_init(NSRUN_LOG_QUIET);
	nsrun_log_warn("hidden");
	nsrun_log_info("hidden");
	nsrun_log_verbose("hidden");
	nsrun_log_step("hidden");
	nsrun_log_step_total();
	nsrun_log_error("shown");
}

static void print_verbose(void)
{
	nsrun_log_init(NSRUN_LOG_VERBOSE);
	nsrun_log_verbose("detail %d", 1);
	nsrun_log_step("bridge");
	nsrun_log_step_total();
}

static void test_one_line_messages(void **state)
{
	char *out;

	(void)state;
	out = capture_stderr(print_hostile);
	assert_string_equal(out, "nsrun: --bridge a\\x0ab\\x1b[2J\\x7f\\x09c\xc3\xa9: bad\n");
	out = capture_stderr(print_quiet);
	assert_string_equal(out, "nsrun: shown\n");
	out = capture_stderr(print_verbose);
	assert_true(nsrun_log_verbose_on());
	assert_true(!strncmp(out, "nsrun: detail 1\nnsrun: step bridge ", 35));
	assert_non_null(strstr(out, " us\nnsrun: step total "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_file_errors),
		cmocka_unit_test(test_lease_line_too_long),
		cmocka_unit_test(test_lease_file_sorted),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_one_line_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
