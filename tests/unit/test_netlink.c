/* SPDX-License-Identifier: MIT */
/*
 * The rtnetlink request builders of link.c and ipconf.c, and the batch
 * bookkeeping of nl.c: each request is built into a buffer and walked back
 * with libmnl, header, flags and every attribute; a buffer one byte short
 * makes every builder return NULL without writing past it.  No socket.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>

#include "unit.h"

#include "nsrun/ipconf.h"
#include "nsrun/link.h"
#include "nsrun/nl.h"

#define BUFSZ 1024
#define SEQ 0x1234567u

static char msgbuf[BUFSZ] __attribute__((aligned(8)));

/* ---- walking a message back ----------------------------------------------- */

#define ATTR_MAX 128

struct attrs {
	const struct nlattr *tb[ATTR_MAX];
	unsigned int count, dups;
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type >= ATTR_MAX)
		fail_msg("attribute type %u out of range", type);
	if (a->tb[type])
		a->dups++;
	a->tb[type] = attr;
	a->count++;
	return MNL_CB_OK;
}

/* The attributes after the fixed header of size hdr; fails on a bad walk. */
static struct attrs msg_attrs(const struct nlmsghdr *nlh, size_t hdr)
{
	struct attrs a = { 0 };

	assert_int_equal(mnl_attr_parse(nlh, (unsigned int)hdr, collect_cb, &a), MNL_CB_OK);
	assert_int_equal(a.dups, 0);
	return a;
}

static struct attrs nested_attrs(const struct nlattr *nest)
{
	struct attrs a = { 0 };

	assert_non_null(nest);
	assert_int_equal(mnl_attr_validate(nest, MNL_TYPE_NESTED), 0);
	assert_int_equal(mnl_attr_parse_nested(nest, collect_cb, &a), MNL_CB_OK);
	assert_int_equal(a.dups, 0);
	return a;
}

static void check_header(const struct nlmsghdr *nlh, uint16_t type, uint16_t flags,
			 size_t len)
{
	assert_non_null(nlh);
	assert_ptr_equal(nlh, msgbuf);
	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, flags);
	assert_int_equal(nlh->nlmsg_seq, SEQ);
	assert_int_equal(nlh->nlmsg_pid, 0);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_len % NLMSG_ALIGNTO, 0);
	assert_true(mnl_nlmsg_ok(nlh, (int)nlh->nlmsg_len));
}

static const struct ifinfomsg *check_ifinfo(const struct nlmsghdr *nlh, int index,
					    unsigned int flags, unsigned int change)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	assert_true(mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifm));
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_type, 0);
	assert_int_equal(ifm->ifi_index, index);
	assert_int_equal(ifm->ifi_flags, flags);
	assert_int_equal(ifm->ifi_change, change);
	return ifm;
}

static void check_str(const struct nlattr *attr, const char *want)
{
	assert_non_null(attr);
	assert_int_equal(mnl_attr_validate(attr, MNL_TYPE_NUL_STRING), 0);
	assert_int_equal(mnl_attr_get_payload_len(attr), strlen(want) + 1);
	assert_string_equal(mnl_attr_get_str(attr), want);
}

static void check_u32(const struct nlattr *attr, uint32_t want)
{
	assert_non_null(attr);
	assert_int_equal(mnl_attr_validate(attr, MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(attr), want);
}

static void check_bytes(const struct nlattr *attr, const void *want, size_t len)
{
	assert_non_null(attr);
	assert_int_equal(mnl_attr_get_payload_len(attr), len);
	assert_memory_equal(mnl_attr_get_payload(attr), want, len);
}

static const uint8_t host_mac[NSRUN_MAC_LEN] = { 0xfe, 0x6e, 0x0a, 0x2f, 0x00, 0x02 };
static const uint8_t peer_mac[NSRUN_MAC_LEN] = { 0x02, 0x6e, 0x0a, 0x2f, 0x00, 0x02 };

static struct nsrun_veth_req veth_req(unsigned int mtu)
{
	struct nsrun_veth_req req = {
		.host_name = "nsr0a2f0002",
		.peer_name = "eth0",
		.host_mtu = mtu,
		.peer_mtu = mtu ? mtu - 100 : 0,
		.master = 7,
		.netns_pid = 4242,
	};

	memcpy(req.host_mac, host_mac, NSRUN_MAC_LEN);
	memcpy(req.peer_mac, peer_mac, NSRUN_MAC_LEN);
	return req;
}

/* ---- link.c --------------------------------------------------------------- */

static void veth_with(unsigned int mtu)
{
	struct nsrun_veth_req req = veth_req(mtu);
	const struct nlmsghdr *nlh;
	const struct nlattr *peer;
	const struct ifinfomsg *pifm;
	struct attrs top, info, data, pa = { 0 };
	size_t off = MNL_ALIGN(sizeof(struct ifinfomsg));
	size_t len;

	memset(msgbuf, 0xaa, sizeof(msgbuf));
	nlh = nsrun_link_build_veth(msgbuf, sizeof(msgbuf), SEQ, &req);
	assert_non_null(nlh);
	len = nlh->nlmsg_len;
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, len);
	/* The host end comes up at once, on the bridge. */
	check_ifinfo(nlh, 0, IFF_UP, IFF_UP);
	top = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(top.count, mtu ? 5 : 4);
	check_str(top.tb[IFLA_IFNAME], "nsr0a2f0002");
	check_bytes(top.tb[IFLA_ADDRESS], host_mac, NSRUN_MAC_LEN);
	if (mtu)
		check_u32(top.tb[IFLA_MTU], mtu);
	else
		assert_null(top.tb[IFLA_MTU]);
	check_u32(top.tb[IFLA_MASTER], 7);

	info = nested_attrs(top.tb[IFLA_LINKINFO]);
	assert_int_equal(info.count, 2);
	check_str(info.tb[IFLA_INFO_KIND], "veth");
	data = nested_attrs(info.tb[IFLA_INFO_DATA]);
	assert_int_equal(data.count, 1);
	peer = data.tb[VETH_INFO_PEER];
	assert_non_null(peer);
	/* The peer nest holds its own ifinfomsg, then the peer's attributes;
	 * the peer stays down until its address is in place. */
	assert_true(mnl_attr_get_payload_len(peer) > off);
	pifm = mnl_attr_get_payload(peer);
	assert_int_equal(pifm->ifi_family, AF_UNSPEC);
	assert_int_equal(pifm->ifi_index, 0);
	assert_int_equal(pifm->ifi_flags, 0);
	assert_int_equal(pifm->ifi_change, 0);
	assert_int_equal(mnl_attr_parse_payload((const char *)pifm + off,
						mnl_attr_get_payload_len(peer) - off, collect_cb, &pa),
			 MNL_CB_OK);
	assert_int_equal(pa.dups, 0);
	assert_int_equal(pa.count, mtu ? 4 : 3);
	check_str(pa.tb[IFLA_IFNAME], "eth0");
	check_bytes(pa.tb[IFLA_ADDRESS], peer_mac, NSRUN_MAC_LEN);
	if (mtu)
		check_u32(pa.tb[IFLA_MTU], mtu - 100);
	else
		assert_null(pa.tb[IFLA_MTU]);
	check_u32(pa.tb[IFLA_NET_NS_PID], 4242);
	/* Every nest closes at the end of the message. */
	assert_ptr_equal((const char *)peer + peer->nla_len, (const char *)nlh + len);
	assert_ptr_equal((const char *)info.tb[IFLA_INFO_DATA] + info.tb[IFLA_INFO_DATA]->nla_len,
			 (const char *)nlh + len);
	assert_ptr_equal((const char *)top.tb[IFLA_LINKINFO] + top.tb[IFLA_LINKINFO]->nla_len,
			 (const char *)nlh + len);
	/* Nothing written past the message. */
	for (size_t i = len; i < sizeof(msgbuf); i++)
		assert_int_equal((unsigned char)msgbuf[i], 0xaa);
}

static void build_veth(void **state)
{
	(void)state;
	veth_with(1500);
}

static void build_veth_default_mtu(void **state)
{
	(void)state;
	veth_with(0);
}

static void build_alias(void **state)
{
	static const char alias[] = "nsrun 1 10.47.0.2/16 pid 4242 start 81234 netns - created 1";
	const struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = nsrun_link_build_alias(msgbuf, sizeof(msgbuf), SEQ, "nsr0a2f0002", alias);
	assert_non_null(nlh);
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)) +
			     MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof("nsr0a2f0002")) +
			     MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(alias)));
	/* Named, not indexed: the caller has just created it. */
	check_ifinfo(nlh, 0, 0, 0);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 2);
	check_str(a.tb[IFLA_IFNAME], "nsr0a2f0002");
	check_str(a.tb[IFLA_IFALIAS], alias);
}

static void build_up(void **state)
{
	const struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = nsrun_link_build_up(msgbuf, sizeof(msgbuf), SEQ, 42);
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)));
	check_ifinfo(nlh, 42, IFF_UP, IFF_UP);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 0);
}

static void build_arp_notify(void **state)
{
	const struct nlmsghdr *nlh;
	struct attrs top, af, inet, conf;

	(void)state;
	nlh = nsrun_link_build_arp_notify(msgbuf, sizeof(msgbuf), SEQ, 42);
	assert_non_null(nlh);
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, nlh->nlmsg_len);
	/* Flags untouched: only the per-device IPv4 setting changes. */
	check_ifinfo(nlh, 42, 0, 0);
	top = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(top.count, 1);
	af = nested_attrs(top.tb[IFLA_AF_SPEC]);
	assert_int_equal(af.count, 1);
	inet = nested_attrs(af.tb[AF_INET]);
	assert_int_equal(inet.count, 1);
	conf = nested_attrs(inet.tb[IFLA_INET_CONF]);
	assert_int_equal(conf.count, 1);
	check_u32(conf.tb[IPV4_DEVCONF_ARP_NOTIFY], 1);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)) +
						 3 * MNL_ATTR_HDRLEN + MNL_ATTR_HDRLEN + 4);
}

static void build_set_mac(void **state)
{
	const struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = nsrun_link_build_set_mac(msgbuf, sizeof(msgbuf), SEQ, 42, host_mac);
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)) + MNL_ATTR_HDRLEN + 8);
	check_ifinfo(nlh, 42, 0, 0);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 1);
	check_bytes(a.tb[IFLA_ADDRESS], host_mac, NSRUN_MAC_LEN);
}

static void build_bridge(void **state)
{
	static const uint8_t mac[NSRUN_MAC_LEN] = { 0x02, 0x6e, 0x00, 0x00, 0x00, 0x01 };
	const struct nlmsghdr *nlh;
	struct attrs a, info;

	(void)state;
	nlh = nsrun_link_build_bridge(msgbuf, sizeof(msgbuf), SEQ, "nsrun0", mac);
	assert_non_null(nlh);
	check_header(nlh, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		     nlh->nlmsg_len);
	check_ifinfo(nlh, 0, IFF_UP, IFF_UP);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 3);
	check_str(a.tb[IFLA_IFNAME], "nsrun0");
	/* An explicit MAC, so the bridge never takes a port's. */
	check_bytes(a.tb[IFLA_ADDRESS], mac, NSRUN_MAC_LEN);
	info = nested_attrs(a.tb[IFLA_LINKINFO]);
	assert_int_equal(info.count, 1);
	check_str(info.tb[IFLA_INFO_KIND], "bridge");
}

static void build_get(void **state)
{
	const struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = nsrun_link_build_get(msgbuf, sizeof(msgbuf), SEQ, "br1");
	check_header(nlh, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)) + MNL_ATTR_HDRLEN +
			     MNL_ALIGN(4) + MNL_ATTR_HDRLEN + 4);
	check_ifinfo(nlh, 0, 0, 0);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 2);
	check_str(a.tb[IFLA_IFNAME], "br1");
	check_u32(a.tb[IFLA_EXT_MASK], RTEXT_FILTER_SKIP_STATS);
}

static void build_port_dump(void **state)
{
	const struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = nsrun_link_build_port_dump(msgbuf, sizeof(msgbuf), SEQ, 7);
	check_header(nlh, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)) + 2 * (MNL_ATTR_HDRLEN + 4));
	check_ifinfo(nlh, 0, 0, 0);
	a = msg_attrs(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(a.count, 2);
	/* Filtered by the kernel: only the ports of bridge 7. */
	check_u32(a.tb[IFLA_MASTER], 7);
	check_u32(a.tb[IFLA_EXT_MASK], RTEXT_FILTER_SKIP_STATS);
}

/* ---- ipconf.c ------------------------------------------------------------- */

struct addr_row {
	const char *name;
	const char *prefix;
	const char *broadcast;       /* NULL: none sent */
};

static const struct addr_row addr_rows[] = {
	{ "/16", "10.47.0.2/16", "10.47.255.255" },
	{ "/24", "192.168.1.77/24", "192.168.1.255" },
	{ "/30", "10.0.0.6/30", "10.0.0.7" },
	{ "/8", "10.1.2.3/8", "10.255.255.255" },
	{ "/31: no broadcast", "10.0.0.7/31", NULL },
	{ "/32: no broadcast", "10.0.0.7/32", NULL },
};

static void build_addr(void **state)
{
	const struct addr_row *row = *state;
	const struct nlmsghdr *nlh;
	const struct ifaddrmsg *ifa;
	struct nsrun_prefix p;
	struct nsrun_addr brd;
	struct attrs a;

	assert_int_equal(nsrun_prefix_parse(row->prefix, &p, false), 0);
	nlh = nsrun_ipconf_build_addr(msgbuf, sizeof(msgbuf), SEQ, 42, &p);
	check_header(nlh, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa)) +
			     (row->broadcast ? 3 : 2) * (MNL_ATTR_HDRLEN + 4));
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, p.len);
	assert_int_equal(ifa->ifa_flags, 0);
	assert_int_equal(ifa->ifa_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(ifa->ifa_index, 42);
	a = msg_attrs(nlh, sizeof(*ifa));
	assert_int_equal(a.count, row->broadcast ? 3 : 2);
	check_bytes(a.tb[IFA_LOCAL], &p.addr.u.v4, 4);
	check_bytes(a.tb[IFA_ADDRESS], &p.addr.u.v4, 4);
	if (row->broadcast) {
		assert_int_equal(nsrun_addr_parse(row->broadcast, &brd), 0);
		check_bytes(a.tb[IFA_BROADCAST], &brd.u.v4, 4);
	} else {
		assert_null(a.tb[IFA_BROADCAST]);
	}
}

static void build_default_route(void **state)
{
	const struct nlmsghdr *nlh;
	const struct rtmsg *rtm;
	struct nsrun_addr gw;
	struct attrs a;

	(void)state;
	assert_int_equal(nsrun_addr_parse("192.168.1.10", &gw), 0);
	nlh = nsrun_ipconf_build_default_route(msgbuf, sizeof(msgbuf), SEQ, 42, &gw);
	check_header(nlh, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*rtm)) + 2 * (MNL_ATTR_HDRLEN + 4));
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 0);
	assert_int_equal(rtm->rtm_src_len, 0);
	assert_int_equal(rtm->rtm_tos, 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_protocol, RTPROT_STATIC);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_flags, 0);
	a = msg_attrs(nlh, sizeof(*rtm));
	assert_int_equal(a.count, 2);
	check_bytes(a.tb[RTA_GATEWAY], &gw.u.v4, 4);
	check_u32(a.tb[RTA_OIF], 42);
	assert_null(a.tb[RTA_DST]);
}

static void build_addr_dump(void **state)
{
	const struct nlmsghdr *nlh;
	const struct ifaddrmsg *ifa;

	(void)state;
	nlh = nsrun_ipconf_build_addr_dump(msgbuf, sizeof(msgbuf), SEQ);
	check_header(nlh, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP,
		     MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa)));
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 0);
	assert_int_equal(ifa->ifa_index, 0);
}

static void build_refuses_other_families(void **state)
{
	struct nsrun_prefix p6 = { .addr = { .family = AF_INET6 }, .len = 64 };
	struct nsrun_addr gw6 = { .family = AF_INET6 };

	(void)state;
	assert_null(nsrun_ipconf_build_addr(msgbuf, sizeof(msgbuf), SEQ, 42, &p6));
	assert_null(nsrun_ipconf_build_default_route(msgbuf, sizeof(msgbuf), SEQ, 42, &gw6));
}

/* ---- every builder, in a buffer too small --------------------------------- */

typedef struct nlmsghdr *(*build_fn)(void *buf, size_t room);

static struct nlmsghdr *b_veth(void *buf, size_t room)
{
	struct nsrun_veth_req req = veth_req(1500);

	return nsrun_link_build_veth(buf, room, SEQ, &req);
}

static struct nlmsghdr *b_veth_long_names(void *buf, size_t room)
{
	struct nsrun_veth_req req = veth_req(1500);

	req.host_name = "nsr0a2f0002-999";
	req.peer_name = "abcdefghijklmno";
	return nsrun_link_build_veth(buf, room, SEQ, &req);
}

static struct nlmsghdr *b_alias(void *buf, size_t room)
{
	return nsrun_link_build_alias(buf, room, SEQ, "nsr0a2f0002",
				      "nsrun 1 10.47.0.2/16 pid 4242 start 81234 netns - created 1");
}

static struct nlmsghdr *b_up(void *buf, size_t room)
{
	return nsrun_link_build_up(buf, room, SEQ, 42);
}

static struct nlmsghdr *b_arp_notify(void *buf, size_t room)
{
	return nsrun_link_build_arp_notify(buf, room, SEQ, 42);
}

static struct nlmsghdr *b_set_mac(void *buf, size_t room)
{
	return nsrun_link_build_set_mac(buf, room, SEQ, 42, host_mac);
}

static struct nlmsghdr *b_bridge(void *buf, size_t room)
{
	return nsrun_link_build_bridge(buf, room, SEQ, "nsrun0", host_mac);
}

static struct nlmsghdr *b_get(void *buf, size_t room)
{
	return nsrun_link_build_get(buf, room, SEQ, "br1");
}

static struct nlmsghdr *b_port_dump(void *buf, size_t room)
{
	return nsrun_link_build_port_dump(buf, room, SEQ, 7);
}

static struct nlmsghdr *b_addr(void *buf, size_t room)
{
	struct nsrun_prefix p;

	if (nsrun_prefix_parse("10.47.0.2/16", &p, false) < 0)
		return NULL;
	return nsrun_ipconf_build_addr(buf, room, SEQ, 42, &p);
}

static struct nlmsghdr *b_addr_31(void *buf, size_t room)
{
	struct nsrun_prefix p;

	if (nsrun_prefix_parse("10.0.0.7/31", &p, false) < 0)
		return NULL;
	return nsrun_ipconf_build_addr(buf, room, SEQ, 42, &p);
}

static struct nlmsghdr *b_route(void *buf, size_t room)
{
	struct nsrun_addr gw;

	if (nsrun_addr_parse("10.47.0.1", &gw) < 0)
		return NULL;
	return nsrun_ipconf_build_default_route(buf, room, SEQ, 42, &gw);
}

static struct nlmsghdr *b_addr_dump(void *buf, size_t room)
{
	return nsrun_ipconf_build_addr_dump(buf, room, SEQ);
}

struct builder_row {
	const char *name;
	build_fn build;
};

static const struct builder_row builder_rows[] = {
	{ "veth", b_veth },
	{ "veth, longest names", b_veth_long_names },
	{ "alias", b_alias },
	{ "up", b_up },
	{ "arp_notify", b_arp_notify },
	{ "set_mac", b_set_mac },
	{ "bridge", b_bridge },
	{ "get", b_get },
	{ "port_dump", b_port_dump },
	{ "addr", b_addr },
	{ "addr /31", b_addr_31 },
	{ "default_route", b_route },
	{ "addr_dump", b_addr_dump },
};

#define CANARY 64

/*
 * For every room smaller than the message: NULL, and not one byte written
 * past room (canary bytes; under ASan also a heap block of exactly room
 * bytes).  With exactly the room it needs, the same message as with plenty.
 */
static void builder_room(void **state)
{
	const struct builder_row *row = *state;
	static char full[BUFSZ] __attribute__((aligned(8)));
	static char buf[BUFSZ + CANARY] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	size_t len;

	memset(full, 0, sizeof(full));
	nlh = row->build(full, sizeof(full));
	assert_non_null(nlh);
	len = nlh->nlmsg_len;
	assert_true(len > 0 && len <= BUFSZ);
	for (size_t room = 0; room < len; room++) {
		void *exact = malloc(room ? room : 1);

		assert_non_null(exact);
		memset(buf, 0x5a, room + CANARY);
		if (row->build(buf, room))
			fail_msg("built %zu bytes into %zu", len, room);
		for (size_t i = room; i < room + CANARY; i++)
			if ((unsigned char)buf[i] != 0x5a)
				fail_msg("room %zu: byte %zu written", room, i);
		assert_null(row->build(exact, room));
		free(exact);
	}
	/* libmnl 1.0.4 leaves attribute padding as it finds it: start from
	 * zeros, as the full build did, to compare the bytes. */
	memset(buf, 0, len);
	memset(buf + len, 0x5a, CANARY);
	nlh = row->build(buf, len);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_memory_equal(buf, full, len);
	for (size_t i = len; i < len + CANARY; i++)
		assert_int_equal((unsigned char)buf[i], 0x5a);
}

/* ---- batch bookkeeping (nl.c) --------------------------------------------- */

static void batch_init(void **state)
{
	struct nsrun_nl nl = { .seq = 41 };
	struct nsrun_nl_batch b;
	size_t room;

	(void)state;
	memset(&b, 0xff, sizeof(b));
	nsrun_nl_batch_init(&b, &nl, msgbuf, sizeof(msgbuf));
	assert_ptr_equal(b.buf, msgbuf);
	assert_int_equal(b.size, sizeof(msgbuf));
	assert_int_equal(b.len, 0);
	assert_int_equal(b.count, 0);
	assert_int_equal(b.seq0, 42);
	assert_ptr_equal(nsrun_nl_batch_tail(&b, &room), msgbuf);
	assert_int_equal(room, sizeof(msgbuf));
	assert_int_equal(nsrun_nl_batch_seq(&b), 42);
	/* The socket's own counter moves only when a batch is sent. */
	assert_int_equal(nl.seq, 41);
}

static void batch_push(void **state)
{
	struct nsrun_nl nl = { .seq = 0 };
	struct nsrun_nl_batch b;
	struct nsrun_addr gw;
	struct nsrun_prefix p;
	struct nlmsghdr *nlh;
	const struct nlmsghdr *m;
	void *tail;
	size_t room, len1;
	int left;

	(void)state;
	assert_int_equal(nsrun_addr_parse("10.47.0.1", &gw), 0);
	assert_int_equal(nsrun_prefix_parse("10.47.0.2/16", &p, false), 0);
	nsrun_nl_batch_init(&b, &nl, msgbuf, sizeof(msgbuf));

	tail = nsrun_nl_batch_tail(&b, &room);
	nlh = nsrun_ipconf_build_addr(tail, room, nsrun_nl_batch_seq(&b), 42, &p);
	assert_int_equal(nlh->nlmsg_seq, 1);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "add address"), 0);
	len1 = NLMSG_ALIGN(nlh->nlmsg_len);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.len, len1);
	assert_string_equal(b.what[0], "add address");
	assert_int_equal(nsrun_nl_batch_seq(&b), 2);
	tail = nsrun_nl_batch_tail(&b, &room);
	assert_ptr_equal(tail, msgbuf + len1);
	assert_int_equal(room, sizeof(msgbuf) - len1);

	nlh = nsrun_link_build_port_dump(tail, room, nsrun_nl_batch_seq(&b), 7);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "list ports"), 0);
	assert_string_equal(b.what[1], "list ports");

	tail = nsrun_nl_batch_tail(&b, &room);
	nlh = nsrun_ipconf_build_default_route(tail, room, nsrun_nl_batch_seq(&b), 42, &gw);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "add default route"), 0);
	assert_int_equal(b.count, 3);

	/* The batch is three well-formed messages back to back, seq 1, 2, 3. */
	left = (int)b.len;
	m = (const struct nlmsghdr *)msgbuf;
	for (uint32_t i = 0; i < 3; i++) {
		static const uint16_t types[] = { RTM_NEWADDR, RTM_GETLINK, RTM_NEWROUTE };

		assert_true(mnl_nlmsg_ok(m, left));
		assert_int_equal(m->nlmsg_seq, i + 1);
		assert_int_equal(m->nlmsg_type, types[i]);
		m = mnl_nlmsg_next(m, &left);
	}
	assert_int_equal(left, 0);
}

static void batch_push_refusals(void **state)
{
	struct nsrun_nl nl = { .seq = 100 };
	struct nsrun_nl_batch b;
	struct nlmsghdr *nlh;
	void *tail;
	size_t room;

	(void)state;
	nsrun_nl_batch_init(&b, &nl, msgbuf, sizeof(msgbuf));
	/* A builder that ran out of room. */
	assert_int_equal(nsrun_nl_batch_push(&b, NULL, "x"), -EMSGSIZE);
	assert_int_equal(b.count, 0);
	assert_int_equal(b.len, 0);
	/* The wrong sequence number. */
	tail = nsrun_nl_batch_tail(&b, &room);
	nlh = nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b) + 1, 1);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "x"), -EINVAL);
	/* Not at the tail. */
	nlh = nsrun_link_build_up(msgbuf + 64, sizeof(msgbuf) - 64, nsrun_nl_batch_seq(&b), 1);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "x"), -EINVAL);
	assert_int_equal(b.count, 0);
	assert_int_equal(b.len, 0);
	/* A good one still goes in after the refusals. */
	nlh = nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), 1);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "x"), 0);
	assert_int_equal(nlh->nlmsg_seq, 101);
}

static void batch_limits(void **state)
{
	static char big[NSRUN_NL_BATCH_MAX * 64 + 64] __attribute__((aligned(8)));
	static char small[100] __attribute__((aligned(8)));
	struct nsrun_nl nl = { .seq = 0 };
	struct nsrun_nl_batch b;
	struct nlmsghdr *nlh;
	void *tail;
	size_t room;
	unsigned int i;

	(void)state;
	/* At most NSRUN_NL_BATCH_MAX requests. */
	nsrun_nl_batch_init(&b, &nl, big, sizeof(big));
	for (i = 0; i < NSRUN_NL_BATCH_MAX; i++) {
		tail = nsrun_nl_batch_tail(&b, &room);
		nlh = nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), (int)i + 1);
		assert_int_equal(nsrun_nl_batch_push(&b, nlh, "up"), 0);
	}
	tail = nsrun_nl_batch_tail(&b, &room);
	nlh = nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), 99);
	assert_non_null(nlh);
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "up"), -EMSGSIZE);
	assert_int_equal(b.count, NSRUN_NL_BATCH_MAX);

	/* A full buffer: the builder gets the room that is left, and fails. */
	nsrun_nl_batch_init(&b, &nl, small, sizeof(small));
	for (i = 0;; i++) {
		tail = nsrun_nl_batch_tail(&b, &room);
		nlh = nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), 1);
		if (!nlh)
			break;
		assert_int_equal(nsrun_nl_batch_push(&b, nlh, "up"), 0);
	}
	assert_int_equal(i, sizeof(small) / (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg))));
	assert_int_equal(nsrun_nl_batch_push(&b, nlh, "up"), -EMSGSIZE);
	assert_true(b.len <= sizeof(small));
}

/* An empty batch is sent without touching the socket. */
static void batch_run_empty(void **state)
{
	struct nsrun_nl nl = { .sock = NULL, .seq = 5 };
	struct nsrun_nl_batch b;
	struct nsrun_err err = { 0 };

	(void)state;
	nsrun_nl_batch_init(&b, &nl, msgbuf, sizeof(msgbuf));
	assert_int_equal(nsrun_nl_batch_run(&nl, &b, NULL, NULL, &err), 0);
	assert_int_equal(nl.seq, 5);
	assert_int_equal(err.code, 0);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT(&l, build_veth);
	UNIT(&l, build_veth_default_mtu);
	UNIT(&l, build_alias);
	UNIT(&l, build_up);
	UNIT(&l, build_arp_notify);
	UNIT(&l, build_set_mac);
	UNIT(&l, build_bridge);
	UNIT(&l, build_get);
	UNIT(&l, build_port_dump);
	UNIT_TABLE(&l, build_addr, addr_rows);
	UNIT(&l, build_default_route);
	UNIT(&l, build_addr_dump);
	UNIT(&l, build_refuses_other_families);
	UNIT_TABLE(&l, builder_room, builder_rows);
	UNIT(&l, batch_init);
	UNIT(&l, batch_push);
	UNIT(&l, batch_push_refusals);
	UNIT(&l, batch_limits);
	UNIT(&l, batch_run_empty);
	return unit_run(&l, "netlink");
}
