/* SPDX-License-Identifier: MIT */
#include "nsrun/nl.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

void *nsrun_nl_put_request(void *buf, size_t room, uint32_t seq, uint16_t type, uint16_t flags,
			   size_t hdrlen, struct nlmsghdr **nlh)
{
	if (room < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return NULL;
	*nlh = mnl_nlmsg_put_header(buf);
	(*nlh)->nlmsg_type = type;
	(*nlh)->nlmsg_flags = NLM_F_REQUEST | flags;
	(*nlh)->nlmsg_seq = seq;
	return mnl_nlmsg_put_extra_header(*nlh, hdrlen);
}

int nsrun_nl_open(struct nsrun_nl *nl, struct nsrun_err *err)
{
	return nsrun_nl_open_proto(nl, NETLINK_ROUTE, err);
}

int nsrun_nl_open_proto(struct nsrun_nl *nl, int protocol, struct nsrun_err *err)
{
	static const struct timeval timeout = { .tv_sec = 30 };
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	/* CLOEXEC: the target must never inherit a socket of the host namespace. */
	nl->sock = mnl_socket_open2(protocol, SOCK_CLOEXEC);
	if (!nl->sock)
		return nsrun_err_sys(err, errno, "netlink: open socket");
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return nsrun_err_sys(err, e, "netlink: bind");
	}
	/* Best effort: older kernels lack these, and nothing depends on them. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	/* Never hang on a reply that cannot come. */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

void nsrun_nl_close(struct nsrun_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int nsrun_nl_fd(const struct nsrun_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

void nsrun_nl_batch_init(struct nsrun_nl_batch *b, struct nsrun_nl *nl, void *buf, size_t size)
{
	memset(b, 0, sizeof(*b));
	/* libmnl leaves attribute padding as it finds it: no stack bytes go
	 * to the kernel. */
	memset(buf, 0, size);
	b->buf = buf;
	b->size = size;
	b->seq0 = nl->seq + 1;
}

void *nsrun_nl_batch_tail(const struct nsrun_nl_batch *b, size_t *room)
{
	*room = b->size - b->len;
	return b->buf + b->len;
}

uint32_t nsrun_nl_batch_seq(const struct nsrun_nl_batch *b)
{
	return b->seq0 + b->count;
}

int nsrun_nl_batch_push(struct nsrun_nl_batch *b, struct nlmsghdr *nlh, const char *what)
{
	if (!nlh || b->count == NSRUN_NL_BATCH_MAX)
		return -EMSGSIZE;
	if ((char *)nlh != b->buf + b->len || nlh->nlmsg_seq != nsrun_nl_batch_seq(b))
		return -EINVAL;
	b->noack[b->count] = false;
	b->what[b->count] = what;
	b->count++;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

int nsrun_nl_batch_push_noack(struct nsrun_nl_batch *b, struct nlmsghdr *nlh, const char *what)
{
	int r;

	if (nlh && (nlh->nlmsg_flags & NLM_F_ACK))
		return -EINVAL;
	r = nsrun_nl_batch_push(b, nlh, what);
	if (r == 0) {
		b->noack[b->count - 1] = true;
		b->nnoack++;
	}
	return r;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* The kernel's extended-ack text of an error message, or NULL. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (mnl_nlmsg_get_payload_len(nlh) <= off)
		return NULL;
	mnl_attr_parse(nlh, (unsigned int)off, extack_cb, &msg);
	return msg;
}

static int fail(struct nsrun_err *err, const char *what, int code, const char *kmsg)
{
	if (kmsg && *kmsg)
		return nsrun_err_set(err, code, "%s: %s: %s", what, strerror(code), kmsg);
	return nsrun_err_sys(err, code, "%s", what);
}

int nsrun_nl_batch_run(struct nsrun_nl *nl, struct nsrun_nl_batch *b, nsrun_nl_data_cb cb,
		       void *data, struct nsrun_err *err)
{
	char rbuf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool done[NSRUN_NL_BATCH_MAX] = { false };
	unsigned int pending = b->count - b->nnoack;
	bool overrun = false, refused = false;
	int first_err = 0;
	ssize_t n;

	if (!b->count)
		return 0;
	nl->seq = b->seq0 + b->count - 1;
	n = mnl_socket_sendto(nl->sock, b->buf, b->len);
	if (n < 0)
		return nsrun_err_sys(err, errno, "netlink: send %s", b->what[0]);
	if ((size_t)n != b->len)
		return nsrun_err_set(err, EIO, "netlink: short send of %s", b->what[0]);

	while (pending && !refused) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof(rbuf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: a reply was dropped.  Read on to the end so the
			 * socket is clean, then fail: the caller may retry a dump. */
			if (errno == ENOBUFS) {
				overrun = true;
				continue;
			}
			if (errno == EAGAIN) /* SO_RCVTIMEO */
				return nsrun_err_set(err, ETIMEDOUT,
						     "netlink: %s: no reply within 30 s", b->what[0]);
			return nsrun_err_sys(err, errno, "netlink: receive reply to %s",
					     b->what[0]);
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			uint32_t i = nlh->nlmsg_seq - b->seq0;
			int code = 0;

			if (nlh->nlmsg_pid != nl->portid || i >= b->count || done[i])
				continue; /* not a reply to this batch */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
					return nsrun_err_set(err, EBADMSG, "netlink: %s: truncated ack",
							     b->what[i]);
				code = -e->error;
				done[i] = true;
				if (!b->noack[i])
					pending--; /* also a dump's ack of a *failed* start */
				else if (code > 0)
					refused = true; /* the whole batch: no more replies */
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
					code = -*(const int *)mnl_nlmsg_get_payload(nlh);
				done[i] = true;
				pending--;
			} else if (cb && !first_err) {
				int r = cb(nlh, data);

				if (r < 0)
					first_err = nsrun_err_sys(err, -r, "netlink: %s: bad reply",
								  b->what[i]);
			}
			if (code > 0 && !first_err)
				first_err = fail(err, b->what[i], code,
						 nlh->nlmsg_type == NLMSG_ERROR ? extack_msg(nlh) : NULL);
		}
		if (len > 0 && !first_err)
			first_err = nsrun_err_set(err, EBADMSG, "netlink: %s: malformed reply",
						  b->what[0]);
	}
	if (overrun && !first_err)
		first_err = nsrun_err_set(err, ENOBUFS, "netlink: %s: replies lost (ENOBUFS)",
					  b->what[0]);
	return first_err;
}
