/* SPDX-License-Identifier: MIT */
#include "nsrun/ipconf.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>

#include "nsrun/link.h"

struct nlmsghdr *nsrun_ipconf_build_addr(void *buf, size_t room, uint32_t seq, int ifindex,
					 const struct nsrun_prefix *addr)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (addr->addr.family != AF_INET)
		return NULL;
	ifa = nsrun_nl_put_request(buf, room, seq, RTM_NEWADDR,
				   NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa), &nlh);
	if (!ifa)
		return NULL;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)addr->len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)ifindex;
	if (!mnl_attr_put_check(nlh, room, IFA_LOCAL, 4, &addr->addr.u.v4) ||
	    !mnl_attr_put_check(nlh, room, IFA_ADDRESS, 4, &addr->addr.u.v4))
		return NULL;
	if (addr->len <= 30) {
		struct nsrun_addr brd = nsrun_prefix_broadcast(addr);

		if (!mnl_attr_put_check(nlh, room, IFA_BROADCAST, 4, &brd.u.v4))
			return NULL;
	}
	return nlh;
}

struct nlmsghdr *nsrun_ipconf_build_default_route(void *buf, size_t room, uint32_t seq,
						  int ifindex, const struct nsrun_addr *gw)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (gw->family != AF_INET)
		return NULL;
	rtm = nsrun_nl_put_request(buf, room, seq, RTM_NEWROUTE,
				   NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sizeof(*rtm), &nlh);
	if (!rtm)
		return NULL;
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (!mnl_attr_put_check(nlh, room, RTA_GATEWAY, 4, &gw->u.v4) ||
	    !mnl_attr_put_u32_check(nlh, room, RTA_OIF, (uint32_t)ifindex))
		return NULL;
	return nlh;
}

struct nlmsghdr *nsrun_ipconf_build_addr_dump(void *buf, size_t room, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	ifa = nsrun_nl_put_request(buf, room, seq, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa), &nlh);
	if (!ifa)
		return NULL;
	ifa->ifa_family = AF_INET;
	return nlh;
}

int nsrun_ipconf_add_addr(struct nsrun_nl *nl, int ifindex, const struct nsrun_prefix *addr,
			  struct nsrun_err *err)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	char a[NSRUN_PREFIX_STRLEN];
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	nsrun_prefix_format(addr, a);
	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_ipconf_build_addr(tail, room, nsrun_nl_batch_seq(&b),
							    ifindex, addr),
				"add address");
	if (r < 0)
		return nsrun_err_sys(err, -r, "add address %s", a);
	r = nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
	return r < 0 ? nsrun_err_ctx(err, "%s", a) : 0;
}

/*
 * With VIPs on lo, the namespace must not answer ARP for them on its link
 * (arp_ignore=1: only for addresses of the asking interface) nor use them
 * as ARP source (arp_announce=2).  The kernel applies max(all, <if>) to
 * both, so eth0's own settings suffice: it is the only interface facing the
 * network.
 */
static const struct nsrun_devconf arp_plain[] = {
	{ IPV4_DEVCONF_ARP_NOTIFY, 1 },
};
static const struct nsrun_devconf arp_dsr[] = {
	{ IPV4_DEVCONF_ARP_NOTIFY, 1 },
	{ IPV4_DEVCONF_ARP_IGNORE, 1 },
	{ IPV4_DEVCONF_ARP_ANNOUNCE, 2 },
};

int nsrun_ipconf_inside(struct nsrun_nl *nl, int ifindex, const struct nsrun_prefix *addr,
			const struct nsrun_addr *gw, const struct nsrun_prefix *lo_addrs,
			unsigned int n_lo, struct nsrun_err *err)
{
	char buf[2048] __attribute__((aligned(NLMSG_ALIGNTO)));
	const struct nsrun_devconf *conf = n_lo ? arp_dsr : arp_plain;
	size_t nconf = n_lo ? sizeof(arp_dsr) / sizeof(arp_dsr[0]) : 1;
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
#define PUSH(build, what)                                                        \
	do {                                                                     \
		tail = nsrun_nl_batch_tail(&b, &room);                           \
		r = nsrun_nl_batch_push(&b, build, what);                        \
		if (r < 0)                                                       \
			return nsrun_err_sys(err, -r, "inside: build %s", what); \
	} while (0)
	/* Order matters: the address exists before the link comes up, so that
	 * arp_notify announces it; the route needs the link up. */
	PUSH(nsrun_ipconf_build_addr(tail, room, nsrun_nl_batch_seq(&b), ifindex, addr),
	     "add address");
	PUSH(nsrun_link_build_inet_conf(tail, room, nsrun_nl_batch_seq(&b), ifindex, conf, nconf),
	     n_lo ? "set arp_notify, arp_ignore, arp_announce" : "set arp_notify");
	PUSH(nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), ifindex), "set link up");
	PUSH(nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), 1), "set lo up");
	for (unsigned int i = 0; i < n_lo; i++)
		PUSH(nsrun_ipconf_build_addr(tail, room, nsrun_nl_batch_seq(&b), 1, &lo_addrs[i]),
		     "add address to lo");
	PUSH(nsrun_ipconf_build_default_route(tail, room, nsrun_nl_batch_seq(&b), ifindex, gw),
	     "add default route");
#undef PUSH
	r = nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
	return r < 0 ? nsrun_err_ctx(err, "inside") : 0;
}
