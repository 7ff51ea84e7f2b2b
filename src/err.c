/* SPDX-License-Identifier: MIT */
#include "nsrun/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int normalize(int code)
{
	if (code < 0)
		code = -code;
	return code ? code : EINVAL;
}

int nsrun_err_set(struct nsrun_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = normalize(code);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -err->code;
}

int nsrun_err_sys(struct nsrun_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	err->code = normalize(code);
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s",
			 strerror(err->code));
	return -err->code;
}

int nsrun_err_ctx(struct nsrun_err *err, const char *fmt, ...)
{
	char prefix[NSRUN_ERR_MSG_MAX];
	size_t plen, room;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (!err->code)
		err->code = EINVAL;
	plen = strlen(prefix);
	if (plen + 3 > sizeof(err->msg))
		return -err->code; /* no room for any context: keep the cause */
	/* Shift the message right (truncating its tail), then write "prefix: ". */
	room = sizeof(err->msg) - plen - 2;
	memmove(err->msg + plen + 2, err->msg, room);
	err->msg[sizeof(err->msg) - 1] = '\0';
	memcpy(err->msg, prefix, plen);
	err->msg[plen] = ':';
	err->msg[plen + 1] = ' ';
	return -err->code;
}

void nsrun_err_clear(struct nsrun_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}
