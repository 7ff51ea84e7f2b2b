/* SPDX-License-Identifier: MIT */
/* caps.c: capability names as --cap-add/--cap-drop take them, and back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/caps.h"

struct name_row {
	const char *in;
	int rc;
	int cap; /* when rc == 0 */
};

/* capabilities(7) numbers, written out: the table is what is tested. */
static const struct name_row name_rows[] = {
	{ "CHOWN", 0, 0 },
	{ "DAC_OVERRIDE", 0, 1 },
	{ "DAC_READ_SEARCH", 0, 2 },
	{ "FOWNER", 0, 3 },
	{ "FSETID", 0, 4 },
	{ "KILL", 0, 5 },
	{ "SETGID", 0, 6 },
	{ "SETUID", 0, 7 },
	{ "SETPCAP", 0, 8 },
	{ "LINUX_IMMUTABLE", 0, 9 },
	{ "NET_BIND_SERVICE", 0, 10 },
	{ "NET_BROADCAST", 0, 11 },
	{ "NET_ADMIN", 0, 12 },
	{ "NET_RAW", 0, 13 },
	{ "IPC_LOCK", 0, 14 },
	{ "IPC_OWNER", 0, 15 },
	{ "SYS_MODULE", 0, 16 },
	{ "SYS_RAWIO", 0, 17 },
	{ "SYS_CHROOT", 0, 18 },
	{ "SYS_PTRACE", 0, 19 },
	{ "SYS_PACCT", 0, 20 },
	{ "SYS_ADMIN", 0, 21 },
	{ "SYS_BOOT", 0, 22 },
	{ "SYS_NICE", 0, 23 },
	{ "SYS_RESOURCE", 0, 24 },
	{ "SYS_TIME", 0, 25 },
	{ "SYS_TTY_CONFIG", 0, 26 },
	{ "MKNOD", 0, 27 },
	{ "LEASE", 0, 28 },
	{ "AUDIT_WRITE", 0, 29 },
	{ "AUDIT_CONTROL", 0, 30 },
	{ "SETFCAP", 0, 31 },
	{ "MAC_OVERRIDE", 0, 32 },
	{ "MAC_ADMIN", 0, 33 },
	{ "SYSLOG", 0, 34 },
	{ "WAKE_ALARM", 0, 35 },
	{ "BLOCK_SUSPEND", 0, 36 },
	{ "AUDIT_READ", 0, 37 },
	{ "PERFMON", 0, 38 },
	{ "BPF", 0, 39 },
	{ "CHECKPOINT_RESTORE", 0, 40 },
	/* Spellings: prefix, case. */
	{ "CAP_NET_RAW", 0, 13 },
	{ "cap_net_raw", 0, 13 },
	{ "net_raw", 0, 13 },
	{ "Cap_Net_Raw", 0, 13 },
	{ "cAp_sYs_AdMiN", 0, 21 },
	{ "ALL", 0, NSRUN_CAP_ALL },
	{ "all", 0, NSRUN_CAP_ALL },
	{ "All", 0, NSRUN_CAP_ALL },
	/* Not names. */
	{ "", -EINVAL, 0 },
	{ "CAP_", -EINVAL, 0 },
	{ "cap_", -EINVAL, 0 },
	{ "13", -EINVAL, 0 },
	{ "CAP_13", -EINVAL, 0 },
	{ "NET-RAW", -EINVAL, 0 },
	{ "NET RAW", -EINVAL, 0 },
	{ "NET_RAW,SYS_ADMIN", -EINVAL, 0 },
	{ "CAP_CAP_NET_RAW", -EINVAL, 0 },
	{ "NET_RAWX", -EINVAL, 0 },
	{ "FOO", -EINVAL, 0 },
	{ "ALL_", -EINVAL, 0 },
	{ "CAP_ALL", -EINVAL, 0 },
	{ "NET_RAW ", -EINVAL, 0 },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH", -EINVAL, 0 },
};

static void test_from_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++) {
		const struct name_row *row = &name_rows[i];
		int cap = -99;
		int rc = nsrun_caps_from_name(row->in, &cap);

		if (rc != row->rc || (rc == 0 && cap != row->cap))
			fail_msg("\"%s\": rc %d cap %d, want rc %d cap %d", row->in, rc, cap, row->rc,
				 row->cap);
	}
}

/* Every named capability prints back to the name it was parsed from. */
static void test_name_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < 41; i++) {
		char buf[NSRUN_CAP_NAME_MAX];
		int cap = -1;

		nsrun_caps_name(name_rows[i].cap, buf);
		assert_string_equal(buf, name_rows[i].in);
		assert_int_equal(nsrun_caps_from_name(buf, &cap), 0);
		assert_int_equal(cap, name_rows[i].cap);
	}
}

static void test_name_unknown_number(void **state)
{
	char buf[NSRUN_CAP_NAME_MAX];

	(void)state;
	nsrun_caps_name(62, buf);
	assert_string_equal(buf, "CAP_62");
}

static void test_format(void **state)
{
	char buf[64];

	(void)state;
	nsrun_caps_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	nsrun_caps_format((UINT64_C(1) << 13) | (UINT64_C(1) << 21) | 1, buf, sizeof(buf));
	assert_string_equal(buf, "CHOWN,NET_RAW,SYS_ADMIN");
	/* Truncated at a name boundary, still a string. */
	nsrun_caps_format((UINT64_C(1) << 13) | (UINT64_C(1) << 21), buf, 12);
	assert_string_equal(buf, "NET_RAW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_name),
		cmocka_unit_test(test_name_round_trip),
		cmocka_unit_test(test_name_unknown_number),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
