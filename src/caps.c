/* SPDX-License-Identifier: MIT */
#include "nsrun/caps.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

int nsrun_caps_from_name(const char *name, int *cap)
{
	char full[4 + NSRUN_CAP_NAME_MAX];
	const char *base = name;
	cap_value_t v;
	size_t i, len;

	if (!strcasecmp(name, "ALL")) {
		*cap = NSRUN_CAP_ALL;
		return 0;
	}
	if (!strncasecmp(base, "CAP_", 4))
		base += 4;
	len = strlen(base);
	if (len == 0 || len >= NSRUN_CAP_NAME_MAX)
		return -EINVAL;
	/* cap_from_name() also takes numbers and comma lists ("cap_a,cap_b"
	 * is cap_a): only letters and '_' reach it. */
	memcpy(full, "cap_", 4);
	for (i = 0; i < len; i++) {
		char c = base[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || c == '_'))
			return -EINVAL;
		full[4 + i] = c;
	}
	full[4 + len] = '\0';
	if (cap_from_name(full, &v) < 0 || v < 0 || v > 63)
		return -EINVAL;
	*cap = (int)v;
	return 0;
}

void nsrun_caps_name(int cap, char buf[NSRUN_CAP_NAME_MAX])
{
	char *n = cap_to_name((cap_value_t)cap);
	size_t i = 0;

	/* libcap names unknown numbers by their number: say CAP_<n>. */
	if (!n || strncmp(n, "cap_", 4) != 0) {
		snprintf(buf, NSRUN_CAP_NAME_MAX, "CAP_%d", cap);
	} else {
		for (const char *p = n + 4; *p && i + 1 < NSRUN_CAP_NAME_MAX; p++, i++)
			buf[i] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
		buf[i] = '\0';
	}
	if (n)
		cap_free(n);
}

void nsrun_caps_format(uint64_t set, char *buf, size_t size)
{
	size_t used = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if (!set) {
		snprintf(buf, size, "none");
		return;
	}
	for (int cap = 0; cap < 64; cap++) {
		char name[NSRUN_CAP_NAME_MAX];
		int n;

		if (!(set & (UINT64_C(1) << cap)))
			continue;
		nsrun_caps_name(cap, name);
		n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", name);
		if (n < 0 || (size_t)n >= size - used) {
			buf[used] = '\0'; /* whole names only */
			return;
		}
		used += (size_t)n;
	}
}
