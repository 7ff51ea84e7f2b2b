/* SPDX-License-Identifier: MIT */
/* The JSON writer: escaping of any byte, structure, misuse. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/json.h"

/* Writes one string value of len bytes and returns the text, without '\n'. */
static char *encode(const char *s, size_t len)
{
	struct nsrun_json j;
	char *out;

	nsrun_json_init(&j);
	nsrun_json_string_n(&j, s, len);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_true(j.len > 0 && j.buf[j.len - 1] == '\n');
	j.buf[j.len - 1] = '\0';
	out = strdup(j.buf);
	nsrun_json_free(&j);
	assert_non_null(out);
	return out;
}

/* RFC 8259 string grammar, and UTF-8 validity of the whole text. */
static void assert_valid_json_string(const char *t)
{
	const unsigned char *p = (const unsigned char *)t;

	assert_int_equal(*p++, '"');
	while (*p != '"') {
		assert_true(*p >= 0x20);
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					assert_non_null(strchr("0123456789abcdef", p[i]));
				p += 5;
			} else {
				assert_non_null(strchr("\"\\/bfnrt", *p));
				p++;
			}
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		/* Multi-byte: lead 0xc2..0xf4, then continuation bytes. */
		size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;

		assert_true(*p >= 0xc2 && *p <= 0xf4);
		for (size_t i = 1; i < n; i++)
			assert_true(p[i] >= 0x80 && p[i] <= 0xbf);
		p += n;
	}
	assert_int_equal(p[1], '\0');
}

struct esc_case {
	const char *in;
	size_t len;
	const char *want;
};

#define C(in, want)                      \
	{                                \
		in, sizeof(in) - 1, want \
	}

static const struct esc_case esc_cases[] = {
	C("", "\"\""),
	C("web-1", "\"web-1\""),
	C("say \"hi\"", "\"say \\\"hi\\\"\""),
	C("back\\slash", "\"back\\\\slash\""),
	C("/path/ok", "\"/path/ok\""),
	C("tab\there", "\"tab\\u0009here\""),
	C("line\nbreak\r", "\"line\\u000abreak\\u000d\""),
	C("nul\0inside", "\"nul\\u0000inside\""),
	C("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""),
	C("\x1b[31mred\x1b[0m", "\"\\u001b[31mred\\u001b[0m\""),
	/* well-formed UTF-8 is kept as it is */
	C("caf\xc3\xa9", "\"caf\xc3\xa9\""),
	C("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\""),
	C("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""),
	C("\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\""),
	C("\xe2\x80\xa8", "\"\xe2\x80\xa8\""),
	/* every byte outside a well-formed sequence: one U+FFFD each */
	C("\xff", "\"\\ufffd\""),
	C("a\x80z", "\"a\\ufffdz\""),
	C("\xc0\x80", "\"\\ufffd\\ufffd\""),		/* overlong NUL */
	C("\xc1\xbf", "\"\\ufffd\\ufffd\""),		/* overlong */
	C("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""), /* overlong '/' */
	C("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""), /* surrogate D800 */
	C("\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""),
	C("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""), /* > U+10FFFF */
	C("\xf5\xbf\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""),
	C("\xc3", "\"\\ufffd\""), /* truncated at the end */
	C("\xe2\x82", "\"\\ufffd\\ufffd\""),
	C("\xe2\x82x", "\"\\ufffd\\ufffdx\""), /* truncated in the middle */
	C("\xc3\"", "\"\\ufffd\\\"\""),	       /* a quote is not a continuation */
	C("\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\""),
};

static void test_escaping(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		char *got = encode(esc_cases[i].in, esc_cases[i].len);

		if (strcmp(got, esc_cases[i].want))
			fail_msg("case %zu: got %s, want %s", i, got, esc_cases[i].want);
		assert_valid_json_string(got);
		free(got);
	}
}

/* Every single byte value, and every pair, yields valid JSON. */
static void test_every_byte_and_pair(void **state)
{
	char in[2];

	(void)state;
	for (int a = 0; a < 256; a++) {
		char *got;

		in[0] = (char)a;
		got = encode(in, 1);
		assert_valid_json_string(got);
		free(got);
		for (int b = 0; b < 256; b++) {
			in[1] = (char)b;
			got = encode(in, 2);
			assert_valid_json_string(got);
			free(got);
		}
	}
}

/* Hostile bytes from a fixed pseudo-random stream: always valid output. */
static void test_random_bytes(void **state)
{
	uint32_t x = 2463534242u;
	char in[64];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 64);
		char *got;

		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in[i] = (char)(x >> 24);
		}
		got = encode(in, len);
		assert_valid_json_string(got);
		free(got);
	}
}

static void test_structure(void **state)
{
	struct nsrun_json j;

	(void)state;
	nsrun_json_init(&j);
	nsrun_json_array_begin(&j);
	nsrun_json_object_begin(&j);
	nsrun_json_key(&j, "address");
	nsrun_json_string(&j, "10.0.0.2");
	nsrun_json_key(&j, "pid");
	nsrun_json_int(&j, 42);
	nsrun_json_key(&j, "name");
	nsrun_json_string_or_null(&j, "");
	nsrun_json_key(&j, "argv");
	nsrun_json_array_begin(&j);
	nsrun_json_string(&j, "sh");
	nsrun_json_string(&j, "-c");
	nsrun_json_array_end(&j);
	nsrun_json_key(&j, "empty");
	nsrun_json_object_begin(&j);
	nsrun_json_object_end(&j);
	nsrun_json_object_end(&j);
	nsrun_json_int(&j, INT64_MIN);
	nsrun_json_array_end(&j);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(j.buf, "[{\"address\":\"10.0.0.2\",\"pid\":42,\"name\":null,"
				   "\"argv\":[\"sh\",\"-c\"],\"empty\":{}},"
				   "-9223372036854775808]\n");
	assert_int_equal(j.len, strlen(j.buf));
	nsrun_json_free(&j);

	nsrun_json_init(&j);
	nsrun_json_array_begin(&j);
	nsrun_json_array_end(&j);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(j.buf, "[]\n");
	nsrun_json_free(&j);
}

static void test_hostile_key(void **state)
{
	struct nsrun_json j;

	(void)state;
	nsrun_json_init(&j);
	nsrun_json_object_begin(&j);
	nsrun_json_key(&j, "a\"b\n\xff");
	nsrun_json_null(&j);
	nsrun_json_object_end(&j);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(j.buf, "{\"a\\\"b\\u000a\\ufffd\":null}\n");
	nsrun_json_free(&j);
}

/* Misuse is reported, never written as broken JSON. */
static void test_misuse(void **state)
{
	struct nsrun_json j;

	(void)state;
	nsrun_json_init(&j); /* nothing written */
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* value without a key */
	nsrun_json_object_begin(&j);
	nsrun_json_int(&j, 1);
	nsrun_json_object_end(&j);
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* key in an array */
	nsrun_json_array_begin(&j);
	nsrun_json_key(&j, "k");
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* key without its value */
	nsrun_json_object_begin(&j);
	nsrun_json_key(&j, "k");
	nsrun_json_object_end(&j);
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* mismatched end */
	nsrun_json_array_begin(&j);
	nsrun_json_object_end(&j);
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* unclosed */
	nsrun_json_array_begin(&j);
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* two top-level values */
	nsrun_json_null(&j);
	nsrun_json_null(&j);
	assert_int_equal(nsrun_json_finish(&j), -EINVAL);
	nsrun_json_free(&j);

	nsrun_json_init(&j); /* too deep */
	for (int i = 0; i <= NSRUN_JSON_DEPTH_MAX; i++)
		nsrun_json_array_begin(&j);
	assert_int_equal(nsrun_json_finish(&j), -E2BIG);
	nsrun_json_free(&j);
}

/* A long string crosses many buffer growths intact. */
static void test_growth(void **state)
{
	size_t n = 100000;
	char *in = malloc(n), *got;

	(void)state;
	assert_non_null(in);
	for (size_t i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	got = encode(in, n);
	assert_int_equal(strlen(got), n + 2);
	assert_memory_equal(got + 1, in, n);
	free(got);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),     cmocka_unit_test(test_every_byte_and_pair),
		cmocka_unit_test(test_random_bytes), cmocka_unit_test(test_structure),
		cmocka_unit_test(test_hostile_key),  cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
