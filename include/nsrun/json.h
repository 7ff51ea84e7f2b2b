/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_JSON_H
#define NSRUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A small JSON writer into a growable buffer.  Pure: no I/O.
 *
 * Whatever bytes a string holds, the output is valid JSON in UTF-8:
 *   - '"' and '\\' are escaped with a backslash;
 *   - control characters (0x00-0x1f) and DEL (0x7f) are written \u00XX;
 *   - well-formed UTF-8 sequences are copied as they are;
 *   - every byte that is not part of a well-formed UTF-8 sequence (stray
 *     continuation bytes, truncated or overlong sequences, surrogates,
 *     code points above U+10FFFF, 0xc0, 0xc1, 0xf5-0xff) becomes one
 *     U+FFFD REPLACEMENT CHARACTER, written \ufffd.
 *
 * Errors are sticky: after the first one (no memory, or a call out of
 * place, such as a value where a key is expected) every call is a no-op and
 * nsrun_json_finish() reports it.
 */

#define NSRUN_JSON_DEPTH_MAX 16

struct nsrun_json {
	char *buf;
	size_t len, cap;
	int error;                      /* negative errno, 0 while fine */
	unsigned int depth;
	bool first[NSRUN_JSON_DEPTH_MAX];    /* no member written yet at this level */
	bool is_object[NSRUN_JSON_DEPTH_MAX];
	bool want_value;                /* a key was written, its value is due */
	bool done;                      /* one complete top-level value written */
};

void nsrun_json_init(struct nsrun_json *j);
void nsrun_json_free(struct nsrun_json *j);

void nsrun_json_object_begin(struct nsrun_json *j);
void nsrun_json_object_end(struct nsrun_json *j);
void nsrun_json_array_begin(struct nsrun_json *j);
void nsrun_json_array_end(struct nsrun_json *j);

/* A member name inside an object; escaped like any string. */
void nsrun_json_key(struct nsrun_json *j, const char *key);

void nsrun_json_string(struct nsrun_json *j, const char *s);
/* len bytes, which may include NUL. */
void nsrun_json_string_n(struct nsrun_json *j, const char *s, size_t len);
void nsrun_json_int(struct nsrun_json *j, int64_t v);
void nsrun_json_null(struct nsrun_json *j);
/* A string, or null when s is NULL or empty. */
void nsrun_json_string_or_null(struct nsrun_json *j, const char *s);

/*
 * Checks that one complete value was written and appends '\n'.  On success
 * the text is at j->buf (NUL-terminated, j->len bytes) and still owned by j.
 * Returns 0 or the first error (-ENOMEM, -EINVAL for a misuse).
 */
int nsrun_json_finish(struct nsrun_json *j);

#endif
