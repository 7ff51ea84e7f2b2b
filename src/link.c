/* SPDX-License-Identifier: MIT */
#include "nsrun/link.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ethtool.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nsrun/ipconf.h"
#include "nsrun/launch.h" /* nsrun_fault_point */

static struct nlmsghdr *put_link_header(void *buf, size_t room, uint32_t seq, uint16_t type,
					uint16_t flags, int ifindex, struct ifinfomsg **ifmp)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	ifm = nsrun_nl_put_request(buf, room, seq, type, flags, sizeof(*ifm), &nlh);
	if (!ifm)
		return NULL;
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (ifmp)
		*ifmp = ifm;
	return nlh;
}

struct nlmsghdr *nsrun_link_build_veth(void *buf, size_t room, uint32_t seq,
				       const struct nsrun_veth_req *req)
{
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *ifm, *pifm;
	struct nlmsghdr *nlh;

	nlh = put_link_header(buf, room, seq, RTM_NEWLINK,
			      NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0, &ifm);
	if (!nlh)
		return NULL;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	if (!mnl_attr_put_strz_check(nlh, room, IFLA_IFNAME, req->host_name) ||
	    !mnl_attr_put_check(nlh, room, IFLA_ADDRESS, NSRUN_MAC_LEN, req->host_mac) ||
	    (req->host_mtu && !mnl_attr_put_u32_check(nlh, room, IFLA_MTU, req->host_mtu)) ||
	    !mnl_attr_put_u32_check(nlh, room, IFLA_MASTER, (uint32_t)req->master))
		return NULL;
	linkinfo = mnl_attr_nest_start_check(nlh, room, IFLA_LINKINFO);
	if (!linkinfo || !mnl_attr_put_strz_check(nlh, room, IFLA_INFO_KIND, "veth"))
		return NULL;
	data = mnl_attr_nest_start_check(nlh, room, IFLA_INFO_DATA);
	if (!data)
		return NULL;
	peer = mnl_attr_nest_start_check(nlh, room, VETH_INFO_PEER);
	if (!peer || nlh->nlmsg_len + MNL_ALIGN(sizeof(*pifm)) > room)
		return NULL;
	/* The peer nest starts with its own ifinfomsg; it stays down until
	 * its address is in place, so coming up announces it (arp_notify). */
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, room, IFLA_IFNAME, req->peer_name) ||
	    !mnl_attr_put_check(nlh, room, IFLA_ADDRESS, NSRUN_MAC_LEN, req->peer_mac) ||
	    (req->peer_mtu && !mnl_attr_put_u32_check(nlh, room, IFLA_MTU, req->peer_mtu)) ||
	    !mnl_attr_put_u32_check(nlh, room, IFLA_NET_NS_PID, (uint32_t)req->netns_pid))
		return NULL;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
}

struct nlmsghdr *nsrun_link_build_alias(void *buf, size_t room, uint32_t seq, const char *name,
					const char *alias)
{
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_NEWLINK, NLM_F_ACK, 0, NULL);

	if (!nlh || !mnl_attr_put_strz_check(nlh, room, IFLA_IFNAME, name) ||
	    !mnl_attr_put_strz_check(nlh, room, IFLA_IFALIAS, alias))
		return NULL;
	return nlh;
}

struct nlmsghdr *nsrun_link_build_up(void *buf, size_t room, uint32_t seq, int ifindex)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_NEWLINK, NLM_F_ACK, ifindex, &ifm);

	if (!nlh)
		return NULL;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return nlh;
}

struct nlmsghdr *nsrun_link_build_inet_conf(void *buf, size_t room, uint32_t seq, int ifindex,
					    const struct nsrun_devconf *conf, size_t n)
{
	struct nlattr *af, *inet, *nest;
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_NEWLINK, NLM_F_ACK, ifindex, NULL);

	if (!nlh)
		return NULL;
	af = mnl_attr_nest_start_check(nlh, room, IFLA_AF_SPEC);
	inet = af ? mnl_attr_nest_start_check(nlh, room, AF_INET) : NULL;
	nest = inet ? mnl_attr_nest_start_check(nlh, room, IFLA_INET_CONF) : NULL;
	if (!nest)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!mnl_attr_put_u32_check(nlh, room, conf[i].id, conf[i].value))
			return NULL;
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_nest_end(nlh, inet);
	mnl_attr_nest_end(nlh, af);
	return nlh;
}

struct nlmsghdr *nsrun_link_build_arp_notify(void *buf, size_t room, uint32_t seq, int ifindex)
{
	static const struct nsrun_devconf notify = { IPV4_DEVCONF_ARP_NOTIFY, 1 };

	return nsrun_link_build_inet_conf(buf, room, seq, ifindex, &notify, 1);
}

struct nlmsghdr *nsrun_link_build_set_mac(void *buf, size_t room, uint32_t seq, int ifindex,
					  const uint8_t mac[NSRUN_MAC_LEN])
{
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_NEWLINK, NLM_F_ACK, ifindex, NULL);

	if (!nlh || !mnl_attr_put_check(nlh, room, IFLA_ADDRESS, NSRUN_MAC_LEN, mac))
		return NULL;
	return nlh;
}

struct nlmsghdr *nsrun_link_build_bridge(void *buf, size_t room, uint32_t seq, const char *name,
					 const uint8_t mac[NSRUN_MAC_LEN])
{
	struct nlattr *linkinfo;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;

	nlh = put_link_header(buf, room, seq, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0,
			      &ifm);
	if (!nlh)
		return NULL;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	/* An explicit MAC: a bridge whose MAC was set never adopts a port's. */
	if (!mnl_attr_put_strz_check(nlh, room, IFLA_IFNAME, name) ||
	    !mnl_attr_put_check(nlh, room, IFLA_ADDRESS, NSRUN_MAC_LEN, mac))
		return NULL;
	linkinfo = mnl_attr_nest_start_check(nlh, room, IFLA_LINKINFO);
	if (!linkinfo || !mnl_attr_put_strz_check(nlh, room, IFLA_INFO_KIND, "bridge"))
		return NULL;
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
}

struct nlmsghdr *nsrun_link_build_get(void *buf, size_t room, uint32_t seq, const char *name)
{
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_GETLINK, NLM_F_ACK, 0, NULL);

	/* Skip the statistics: the reply is a third of the size. */
	if (!nlh || !mnl_attr_put_strz_check(nlh, room, IFLA_IFNAME, name) ||
	    !mnl_attr_put_u32_check(nlh, room, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))
		return NULL;
	return nlh;
}

#define MAX_ADDRS 64

struct bridge_query {
	struct nsrun_bridge *br;
	bool found, is_bridge;
	char kind[32];
	unsigned int naddrs;
	struct {
		int ifindex;
		bool secondary;
		struct nsrun_prefix p;
	} addrs[MAX_ADDRS];
};

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct bridge_query *q = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(q->kind, sizeof(q->kind), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct bridge_query *q = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			q->br->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == NSRUN_MAC_LEN)
			memcpy(q->br->mac, mnl_attr_get_payload(attr), NSRUN_MAC_LEN);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
			mnl_attr_parse_nested(attr, linkinfo_cb, q);
		break;
	}
	return MNL_CB_OK;
}

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	struct nsrun_addr *a = data;

	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer's
	 * on point-to-point links). */
	if (mnl_attr_get_type(attr) == IFA_LOCAL && mnl_attr_get_payload_len(attr) == 4) {
		a->family = AF_INET;
		memcpy(&a->u.v4, mnl_attr_get_payload(attr), 4);
	}
	return MNL_CB_OK;
}

static int bridge_query_cb(const struct nlmsghdr *nlh, void *data)
{
	struct bridge_query *q = data;

	if (nlh->nlmsg_type == RTM_NEWLINK) {
		const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

		q->found = true;
		q->br->ifindex = ifm->ifi_index;
		q->br->up = ifm->ifi_flags & IFF_UP;
		return mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, q) < 0 ? -EBADMSG : 0;
	}
	if (nlh->nlmsg_type == RTM_NEWADDR && q->naddrs < MAX_ADDRS) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
		struct nsrun_addr a = { 0 };

		if (ifa->ifa_family != AF_INET)
			return 0;
		if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &a) < 0)
			return -EBADMSG;
		if (a.family != AF_INET)
			return 0;
		q->addrs[q->naddrs].ifindex = (int)ifa->ifa_index;
		q->addrs[q->naddrs].secondary = ifa->ifa_flags & IFA_F_SECONDARY;
		q->addrs[q->naddrs].p.addr = a;
		q->addrs[q->naddrs].p.len = ifa->ifa_prefixlen;
		q->naddrs++;
	}
	return 0;
}

int nsrun_link_bridge_get(struct nsrun_nl *nl, const char *name, struct nsrun_bridge *br,
			  struct nsrun_err *err)
{
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct bridge_query q = { .br = br };
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	memset(br, 0, sizeof(*br));
	snprintf(br->name, sizeof(br->name), "%s", name);
	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_link_build_get(tail, room, nsrun_nl_batch_seq(&b), name),
				"look up");
	/* The ifindex is unknown until the first reply, so dump all IPv4
	 * addresses (a handful) in the same round trip and filter here. */
	tail = nsrun_nl_batch_tail(&b, &room);
	if (!r)
		r = nsrun_nl_batch_push(&b,
					nsrun_ipconf_build_addr_dump(tail, room, nsrun_nl_batch_seq(&b)),
					"list addresses");
	if (r < 0)
		return nsrun_err_sys(err, -r, "bridge %s: build request", name);
	r = nsrun_nl_batch_run(nl, &b, bridge_query_cb, &q, err);
	if (r == -ENODEV || (!r && !q.found))
		return nsrun_err_set(err, ENODEV, "bridge %s: does not exist", name);
	if (r < 0)
		return nsrun_err_ctx(err, "bridge %s", name);
	if (strcmp(q.kind, "bridge"))
		return nsrun_err_set(err, ENOTTY, "bridge %s: not a bridge (a %s device)", name,
				     q.kind[0] ? q.kind : "plain");
	for (unsigned int i = 0; i < q.naddrs; i++) {
		if (q.addrs[i].ifindex == br->ifindex && !q.addrs[i].secondary) {
			br->has_addr = true;
			br->addr = q.addrs[i].p;
			break;
		}
	}
	return 0;
}

int nsrun_link_bridge_create(struct nsrun_nl *nl, const char *name,
			     const struct nsrun_prefix *gw, struct nsrun_bridge *br,
			     struct nsrun_err *err)
{
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	uint8_t mac[NSRUN_MAC_LEN];
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	/* Fixed and derived from the gateway, which is never handed out, so
	 * it cannot collide with a namespace's MAC. */
	nsrun_mac_inner(&gw->addr, mac);
	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_link_build_bridge(tail, room, nsrun_nl_batch_seq(&b),
							    name, mac),
				"create");
	if (r < 0)
		return nsrun_err_sys(err, -r, "bridge %s: build request", name);
	r = nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
	if (r < 0)
		return nsrun_err_ctx(err, "bridge %s", name);
	r = nsrun_link_bridge_get(nl, name, br, err);
	if (r < 0)
		return r;
	nsrun_fault_point("bridge-unaddressed");
	r = nsrun_ipconf_add_addr(nl, br->ifindex, gw, err);
	if (r < 0)
		return nsrun_err_ctx(err, "bridge %s", name);
	br->has_addr = true;
	br->addr = *gw;
	return 0;
}

int nsrun_link_bridge_pin_mac(struct nsrun_nl *nl, const struct nsrun_bridge *br,
			      struct nsrun_err *err)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_link_build_set_mac(tail, room, nsrun_nl_batch_seq(&b),
							     br->ifindex, br->mac),
				"pin MAC address");
	if (r < 0)
		return nsrun_err_sys(err, -r, "bridge %s: build request", br->name);
	r = nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
	return r < 0 ? nsrun_err_ctx(err, "bridge %s", br->name) : 0;
}

int nsrun_link_add_veth(struct nsrun_nl *nl, const struct nsrun_veth_req *req,
			const char *alias, struct nsrun_err *err)
{
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_link_build_veth(tail, room, nsrun_nl_batch_seq(&b), req),
				"create veth");
	tail = nsrun_nl_batch_tail(&b, &room);
	if (!r)
		r = nsrun_nl_batch_push(&b,
					nsrun_link_build_alias(tail, room, nsrun_nl_batch_seq(&b),
							       req->host_name, alias),
					"set alias");
	if (r < 0)
		return nsrun_err_sys(err, -r, "veth %s: build request", req->host_name);
	r = nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
	return r < 0 ? nsrun_err_ctx(err, "veth %s", req->host_name) : 0;
}

int nsrun_link_ifindex(const struct nsrun_nl *nl, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	/* Any socket answers SIOCGIFINDEX for its own namespace: one syscall. */
	if (ioctl(nsrun_nl_fd(nl), SIOCGIFINDEX, &ifr) < 0)
		return 0;
	return ifr.ifr_ifindex;
}

struct nlmsghdr *nsrun_link_build_port_dump(void *buf, size_t room, uint32_t seq, int master)
{
	struct nlmsghdr *nlh = put_link_header(buf, room, seq, RTM_GETLINK, NLM_F_DUMP, 0, NULL);

	/* Filtered in the kernel (strict checking): only the bridge's ports. */
	if (!nlh || !mnl_attr_put_u32_check(nlh, room, IFLA_MASTER, (uint32_t)master) ||
	    !mnl_attr_put_u32_check(nlh, room, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))
		return NULL;
	return nlh;
}

struct port_query {
	int master;
	nsrun_port_cb cb;
	void *data;
};

static int port_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= IFLA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct port_query *q = data;
	struct nsrun_port port = { .ifindex = ifm->ifi_index };

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (mnl_attr_parse(nlh, sizeof(*ifm), port_attr_cb, tb) < 0)
		return -EBADMSG;
	/* Older kernels ignore the filter: check the master here too. */
	if (!tb[IFLA_MASTER] || mnl_attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) < 0 ||
	    (int)mnl_attr_get_u32(tb[IFLA_MASTER]) != q->master)
		return 0;
	if (!tb[IFLA_IFNAME] || mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	snprintf(port.ifname, sizeof(port.ifname), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_IFALIAS] && mnl_attr_validate(tb[IFLA_IFALIAS], MNL_TYPE_NUL_STRING) == 0)
		port.alias = mnl_attr_get_str(tb[IFLA_IFALIAS]);
	return q->cb(&port, q->data);
}

int nsrun_link_list_ports(struct nsrun_nl *nl, int master, nsrun_port_cb cb, void *data,
			  struct nsrun_err *err)
{
	struct port_query q = { .master = master, .cb = cb, .data = data };
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r, tries = 0;

	do {
		nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
		tail = nsrun_nl_batch_tail(&b, &room);
		r = nsrun_nl_batch_push(&b, nsrun_link_build_port_dump(tail, room,
									nsrun_nl_batch_seq(&b), master),
					"list bridge ports");
		if (r < 0)
			return nsrun_err_sys(err, -r, "list bridge ports");
		r = nsrun_nl_batch_run(nl, &b, port_cb, &q, err);
		/* ENOBUFS: the dump outran the socket; what we saw is incomplete.
		 * The callbacks must tolerate seeing a port again. */
	} while (r == -ENOBUFS && ++tries < 5);
	return r;
}

struct peer_query {
	int nsid, ifindex;
};

static int peer_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	struct peer_query *q = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), port_attr_cb, tb) < 0)
		return -EBADMSG;
	if (tb[IFLA_LINK_NETNSID] && mnl_attr_validate(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32) == 0)
		q->nsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_LINK] && mnl_attr_validate(tb[IFLA_LINK], MNL_TYPE_U32) == 0)
		q->ifindex = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	return 0;
}

/* One RTM_GETLINK of ifindex (in the namespace netnsid, -1: ours). */
static int get_link(struct nsrun_nl *nl, int ifindex, int netnsid, nsrun_nl_data_cb cb,
		    void *data)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	struct nsrun_err err;
	struct nlmsghdr *nlh;
	void *tail;
	size_t room;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	nlh = put_link_header(tail, room, nsrun_nl_batch_seq(&b), RTM_GETLINK, NLM_F_ACK, ifindex,
			      NULL);
	if (!nlh || !mnl_attr_put_u32_check(nlh, room, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) ||
	    (netnsid >= 0 && !mnl_attr_put_u32_check(nlh, room, IFLA_TARGET_NETNSID,
						      (uint32_t)netnsid)) ||
	    nsrun_nl_batch_push(&b, nlh, "query link") < 0)
		return -EMSGSIZE;
	return nsrun_nl_batch_run(nl, &b, cb, data, &err);
}

int nsrun_link_peer(struct nsrun_nl *nl, int ifindex, int *netnsid, int *peer_ifindex)
{
	struct peer_query q = { .nsid = NSRUN_LINK_NSID_NONE };
	int r = get_link(nl, ifindex, -1, peer_cb, &q);

	if (r < 0)
		return r;
	*netnsid = q.nsid;
	*peer_ifindex = q.ifindex;
	return 0;
}

bool nsrun_link_peer_netns_alive(struct nsrun_nl *nl, int ifindex)
{
	int nsid, peer, r;

	r = nsrun_link_peer(nl, ifindex, &nsid, &peer);
	if (r == -ENODEV)
		return false;
	if (r < 0 || nsid == NSRUN_LINK_NSID_NONE)
		return true; /* unknown, or the peer is in our own namespace */
	if (nsid < 0)
		return false; /* NETNSA_NSID_NOT_ASSIGNED: the peer is dead */
	/* The nsid outlives the namespace until the kernel's cleanup runs
	 * (tens of ms), but the kernel refuses to resolve it to a namespace
	 * that is dying: ask for that namespace's lo through it. */
	r = get_link(nl, 1, nsid, NULL, NULL);
	return !(r == -EINVAL || r == -ENODEV || r == -ENONET);
}

/* The rest of a known bridge, from an AF_INET socket's ioctls. */
static int bridge_by_ioctl(int fd, struct ifreq *ifr, struct nsrun_bridge *br)
{
	struct sockaddr_in sin;

	/* SIOCGIFADDR answers with the primary address labelled like the
	 * device, the one nsrun_link_bridge_get() would pick. */
	if (ioctl(fd, SIOCGIFADDR, ifr) < 0 || ifr->ifr_addr.sa_family != AF_INET)
		return -ESTALE;
	memcpy(&sin, &ifr->ifr_addr, sizeof(sin));
	br->addr.addr.family = AF_INET;
	br->addr.addr.u.v4 = sin.sin_addr;
	if (ioctl(fd, SIOCGIFNETMASK, ifr) < 0)
		return -ESTALE;
	memcpy(&sin, &ifr->ifr_netmask, sizeof(sin));
	br->addr.len = (unsigned int)__builtin_popcount(sin.sin_addr.s_addr);
	br->has_addr = true;
	if (ioctl(fd, SIOCGIFMTU, ifr) < 0)
		return -ESTALE;
	br->mtu = (unsigned int)ifr->ifr_mtu;
	if (ioctl(fd, SIOCGIFFLAGS, ifr) < 0)
		return -ESTALE;
	br->up = ifr->ifr_flags & IFF_UP;
	if (ioctl(fd, SIOCGIFHWADDR, ifr) < 0)
		return -ESTALE;
	memcpy(br->mac, ifr->ifr_hwaddr.sa_data, NSRUN_MAC_LEN);
	return 0;
}

int nsrun_link_bridge_get_known(const struct nsrun_nl *nl, const char *name, int known_ifindex,
				struct nsrun_bridge *br)
{
	struct ifreq ifr;
	int fd, r;

	memset(br, 0, sizeof(*br));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(br->name, sizeof(br->name), "%s", name);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (known_ifindex <= 0 || ioctl(nsrun_nl_fd(nl), SIOCGIFINDEX, &ifr) < 0 ||
	    ifr.ifr_ifindex != known_ifindex)
		return -ESTALE;
	br->ifindex = ifr.ifr_ifindex;
	/* The IPv4 address ioctls belong to AF_INET sockets (a netlink socket
	 * answers ENOTTY); made before unshare(), in the host's namespace. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -ESTALE;
	r = bridge_by_ioctl(fd, &ifr, br);
	close(fd);
	return r;
}

int nsrun_link_bridge_check(const struct nsrun_nl *nl, const char *name, struct nsrun_err *err)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(nsrun_nl_fd(nl), SIOCGIFINDEX, &ifr) < 0)
		return nsrun_err_set(err, ENODEV, "bridge %s: does not exist", name);
	ifr.ifr_data = (char *)&info;
	/* No ethtool support (lo, some virtual devices): not a bridge either. */
	if (ioctl(nsrun_nl_fd(nl), SIOCETHTOOL, &ifr) < 0)
		return nsrun_err_set(err, ENOTTY, "bridge %s: not a bridge", name);
	if (strcmp(info.driver, "bridge"))
		return nsrun_err_set(err, ENOTTY, "bridge %s: not a bridge (a %s device)", name,
				     info.driver);
	return 0;
}
