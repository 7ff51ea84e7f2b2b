/* SPDX-License-Identifier: MIT */
#include "nsrun/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nsrun_json_init(struct nsrun_json *j)
{
	memset(j, 0, sizeof(*j));
}

void nsrun_json_free(struct nsrun_json *j)
{
	free(j->buf);
	nsrun_json_init(j);
}

static void put(struct nsrun_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (n + 1 > j->cap - j->len) {
		size_t cap = j->cap ? j->cap : 256;
		char *nb;

		while (n + 1 > cap - j->len) {
			if (cap > SIZE_MAX / 2) {
				j->error = -ENOMEM;
				return;
			}
			cap *= 2;
		}
		nb = realloc(j->buf, cap);
		if (!nb) {
			j->error = -ENOMEM;
			return;
		}
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void put_c(struct nsrun_json *j, char c)
{
	put(j, &c, 1);
}

/* Where a value may start: top level (once), array member, after a key. */
static bool value_start(struct nsrun_json *j)
{
	if (j->error)
		return false;
	if (j->depth == 0) {
		if (j->done) {
			j->error = -EINVAL;
			return false;
		}
		return true;
	}
	if (j->is_object[j->depth - 1]) {
		if (!j->want_value) {
			j->error = -EINVAL; /* a value without its key */
			return false;
		}
		j->want_value = false;
		return true;
	}
	if (!j->first[j->depth - 1])
		put_c(j, ',');
	j->first[j->depth - 1] = false;
	return true;
}

static void value_end(struct nsrun_json *j)
{
	if (j->depth == 0)
		j->done = true;
}

static void container_begin(struct nsrun_json *j, bool object)
{
	if (!value_start(j))
		return;
	if (j->depth == NSRUN_JSON_DEPTH_MAX) {
		j->error = -E2BIG;
		return;
	}
	put_c(j, object ? '{' : '[');
	j->is_object[j->depth] = object;
	j->first[j->depth] = true;
	j->depth++;
}

static void container_end(struct nsrun_json *j, bool object)
{
	if (j->error)
		return;
	if (j->depth == 0 || j->is_object[j->depth - 1] != object || j->want_value) {
		j->error = -EINVAL;
		return;
	}
	j->depth--;
	put_c(j, object ? '}' : ']');
	value_end(j);
}

void nsrun_json_object_begin(struct nsrun_json *j)
{
	container_begin(j, true);
}

void nsrun_json_object_end(struct nsrun_json *j)
{
	container_end(j, true);
}

void nsrun_json_array_begin(struct nsrun_json *j)
{
	container_begin(j, false);
}

void nsrun_json_array_end(struct nsrun_json *j)
{
	container_end(j, false);
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 when
 * the byte at s does not start one (Unicode 15, table 3-7).
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* above U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void put_escaped(struct nsrun_json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0; /* bytes s[i - run .. i) are copied as they are */

	put_c(j, '"');
	while (i < n) {
		char esc[8];
		size_t len = utf8_len(s + i, n - i);

		if (len > 1 ||
		    (len == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '"' && s[i] != '\\')) {
			i += len;
			run += len;
			continue;
		}
		put(j, (const char *)s + i - run, run);
		run = 0;
		if (len == 0)
			put(j, "\\ufffd", 6);
		else if (s[i] == '"' || s[i] == '\\')
			put(j, (const char[]){ '\\', (char)s[i] }, 2);
		else
			put(j, esc, (size_t)snprintf(esc, sizeof(esc), "\\u%04x", s[i]));
		i++;
	}
	put(j, (const char *)s + i - run, run);
	put_c(j, '"');
}

void nsrun_json_key(struct nsrun_json *j, const char *key)
{
	if (j->error)
		return;
	if (j->depth == 0 || !j->is_object[j->depth - 1] || j->want_value) {
		j->error = -EINVAL;
		return;
	}
	if (!j->first[j->depth - 1])
		put_c(j, ',');
	j->first[j->depth - 1] = false;
	put_escaped(j, key, strlen(key));
	put_c(j, ':');
	j->want_value = true;
}

void nsrun_json_string_n(struct nsrun_json *j, const char *s, size_t len)
{
	if (!value_start(j))
		return;
	put_escaped(j, s, len);
	value_end(j);
}

void nsrun_json_string(struct nsrun_json *j, const char *s)
{
	nsrun_json_string_n(j, s, strlen(s));
}

void nsrun_json_string_or_null(struct nsrun_json *j, const char *s)
{
	if (s && *s)
		nsrun_json_string(j, s);
	else
		nsrun_json_null(j);
}

static void put_literal(struct nsrun_json *j, const char *lit)
{
	if (!value_start(j))
		return;
	put(j, lit, strlen(lit));
	value_end(j);
}

void nsrun_json_int(struct nsrun_json *j, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	put_literal(j, num);
}

void nsrun_json_null(struct nsrun_json *j)
{
	put_literal(j, "null");
}

int nsrun_json_finish(struct nsrun_json *j)
{
	if (!j->error && (!j->done || j->depth))
		j->error = -EINVAL;
	put_c(j, '\n');
	return j->error;
}
