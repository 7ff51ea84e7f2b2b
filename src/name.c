/* SPDX-License-Identifier: MIT */
#include "nsrun/name.h"

#include <string.h>

const char *nsrun_ifname_invalid(const char *name)
{
	size_t len = strlen(name);
	const unsigned char *p;

	if (len == 0)
		return "empty name";
	if (len >= IFNAMSIZ)
		return "longer than 15 bytes";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "not a valid interface name";
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f)
			return "contains a space or a non-printable byte";
		if (*p == '/' || *p == ':')
			return "contains '/' or ':'";
	}
	return NULL;
}

const char *nsrun_netns_name_invalid(const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (len == 0)
		return "empty name";
	if (len > NSRUN_NETNS_MAX)
		return "longer than 63 bytes";
	if (name[0] == '-' || name[0] == '.')
		return "starts with '-' or '.'";
	for (p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return "only letters, digits, '_', '.' and '-' are allowed";
	}
	return NULL;
}

const char *nsrun_hostname_invalid(const char *name)
{
	size_t len = strlen(name), label = 0;
	const char *p;

	if (len == 0)
		return "empty name";
	if (len > NSRUN_HOSTNAME_MAX)
		return "longer than 64 bytes";
	for (p = name; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return "empty label, or a label ending with '-'";
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			return "only letters, digits, '-' and '.' are allowed";
		if (*p == '-' && label == 0)
			return "a label starts with '-'";
		if (++label > 63)
			return "a label longer than 63 bytes";
	}
	if (p[-1] == '-' || p[-1] == '.')
		return "ends with '-' or '.'";
	return NULL;
}
