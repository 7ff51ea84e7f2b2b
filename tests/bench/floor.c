/*
 * floor -- the kernel work nsrun does, and nothing else.
 *
 *   floor BRIDGE ADDR/PREFIX GATEWAY -- CMD [ARG...]
 *
 * The benchmark's lower bound ("floor") for one launch: no lease file, no
 * mount namespace, no privilege drop, no option parsing worth the name.
 *
 *   1. rtnetlink socket in the host netns (SOCK_CLOEXEC)
 *   2. bridge ifindex (SIOCGIFINDEX on that socket)
 *   3. unshare(CLONE_NEWNET)
 *   4. ONE RTM_NEWLINK: veth "flr<pid>", master=BRIDGE, up; its peer "eth0"
 *      is created straight in our new netns (IFLA_NET_NS_PID = getpid())
 *   5. second rtnetlink socket, now inside the new netns
 *   6. ONE sendto() carrying a batch of four requests, each acked:
 *      lo up, eth0 up, ADDR/PREFIX on eth0, default route via GATEWAY
 *   7. execvp(CMD)
 *
 * The only extra syscall over the strict minimum is SIOCGIFINDEX for "eth0"
 * inside the netns: RTM_NEWADDR needs the peer's ifindex and the kernel does
 * not tell us which one it picked.
 *
 * Every failure prints "floor: <what>: <why>" and exits 125 (including a
 * failed exec: this is a benchmark tool, not a launcher).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#define FLOOR_EXIT_FAIL 125
/* Fixed size: MNL_SOCKET_BUFFER_SIZE is a runtime expression (sysconf). */
#define FLOOR_BUF_SIZE 8192
#define FLOOR_PEER_NAME "eth0"

/* One request of the in-namespace batch, for error messages. */
struct step {
	const char *what;
};

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("floor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(FLOOR_EXIT_FAIL);
}

static void usage(void)
{
	die("usage: floor BRIDGE ADDR/PREFIX GATEWAY -- CMD [ARG...]");
}

static void parse_cidr(const char *arg, struct in_addr *addr, uint8_t *prefix)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	char *end;
	unsigned long len;

	if (!slash || (size_t)(slash - arg) >= sizeof(buf))
		die("address %s: expected A.B.C.D/PREFIX", arg);
	memcpy(buf, arg, (size_t)(slash - arg));
	buf[slash - arg] = '\0';
	if (inet_pton(AF_INET, buf, addr) != 1)
		die("address %s: not an IPv4 address", arg);
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || len > 32)
		die("address %s: prefix must be 0..32", arg);
	*prefix = (uint8_t)len;
}

static struct mnl_socket *rtnl_open(const char *where)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	int on = 1;

	if (!nl)
		die("%s: open rtnetlink socket: %s", where, strerror(errno));
	/* Extended acks give the kernel's reason; capped acks keep them short. */
	if (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &on, sizeof(on)) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &on, sizeof(on)) < 0)
		die("%s: setsockopt: %s", where, strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("%s: bind rtnetlink socket: %s", where, strerror(errno));
	return nl;
}

/* Any socket answers SIOCGIFINDEX for its own netns: one syscall, no
 * extra socket as if_nametoindex() would open. 0 (errno set) if absent. */
static uint32_t ifindex_of(struct mnl_socket *nl, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(name) >= sizeof(ifr.ifr_name)) {
		errno = ENODEV;
		return 0;
	}
	strcpy(ifr.ifr_name, name);
	if (ioctl(mnl_socket_get_fd(nl), SIOCGIFINDEX, &ifr) < 0)
		return 0;
	return (uint32_t)ifr.ifr_ifindex;
}

/* Builders: pure, bounded by room; false means the buffer is too small. */

static bool put_ifinfomsg(struct nlmsghdr *nlh, size_t room, unsigned flags)
{
	struct ifinfomsg *ifi;

	if (nlh->nlmsg_len + MNL_ALIGN(sizeof(*ifi)) > room)
		return false;
	/* Appends at the tail: also right for the ifinfomsg nested in a peer. */
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = flags;
	ifi->ifi_change = flags;
	return true;
}

static bool build_veth(void *buf, size_t room, uint32_t seq, const char *host,
		       uint32_t master, uint32_t peer_ns_pid)
{
	struct nlmsghdr *nlh;
	struct nlattr *linkinfo, *data, *peer;

	if (room < MNL_NLMSG_HDRLEN)
		return false;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (!put_ifinfomsg(nlh, room, IFF_UP) ||
	    !mnl_attr_put_check(nlh, room, IFLA_IFNAME, strlen(host) + 1, host) ||
	    !mnl_attr_put_check(nlh, room, IFLA_MASTER, sizeof(master), &master))
		return false;
	linkinfo = mnl_attr_nest_start_check(nlh, room, IFLA_LINKINFO);
	if (!linkinfo || !mnl_attr_put_check(nlh, room, IFLA_INFO_KIND, sizeof("veth"), "veth"))
		return false;
	data = mnl_attr_nest_start_check(nlh, room, IFLA_INFO_DATA);
	if (!data)
		return false;
	peer = mnl_attr_nest_start_check(nlh, room, VETH_INFO_PEER);
	if (!peer || !put_ifinfomsg(nlh, room, 0) ||
	    !mnl_attr_put_check(nlh, room, IFLA_IFNAME, sizeof(FLOOR_PEER_NAME), FLOOR_PEER_NAME) ||
	    !mnl_attr_put_check(nlh, room, IFLA_NET_NS_PID, sizeof(peer_ns_pid), &peer_ns_pid))
		return false;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return true;
}

/* "ip link set NAME up": RTM_NEWLINK without NLM_F_CREATE, found by name. */
static bool build_link_up(void *buf, size_t room, uint32_t seq, const char *name)
{
	struct nlmsghdr *nlh;

	if (room < MNL_NLMSG_HDRLEN)
		return false;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	return put_ifinfomsg(nlh, room, IFF_UP) &&
	       mnl_attr_put_check(nlh, room, IFLA_IFNAME, strlen(name) + 1, name);
}

static bool build_addr(void *buf, size_t room, uint32_t seq, uint32_t ifindex,
		       struct in_addr addr, uint8_t prefix)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (room < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa)))
		return false;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	return mnl_attr_put_check(nlh, room, IFA_LOCAL, sizeof(addr), &addr) &&
	       mnl_attr_put_check(nlh, room, IFA_ADDRESS, sizeof(addr), &addr);
}

static bool build_default_route(void *buf, size_t room, uint32_t seq, uint32_t ifindex,
				struct in_addr gateway)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (room < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*rtm)))
		return false;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	return mnl_attr_put_check(nlh, room, RTA_GATEWAY, sizeof(gateway), &gateway) &&
	       mnl_attr_put_check(nlh, room, RTA_OIF, sizeof(ifindex), &ifindex);
}

/* The kernel's extended-ack text, or "" when it sent none. */
static const char *ack_text(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);
	const struct nlattr *attr;
	const void *payload;
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	if (off >= mnl_nlmsg_get_payload_len(nlh))
		return "";
	payload = (const char *)err + off;
	len = mnl_nlmsg_get_payload_len(nlh) - off;
	mnl_attr_for_each_payload(payload, len) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return "";
}

/*
 * Read one ack per request, sequence numbers first_seq .. first_seq+count-1;
 * any error is fatal and named after steps[seq - first_seq].
 */
static void read_acks(struct mnl_socket *nl, uint32_t first_seq, const struct step *steps,
		      unsigned count)
{
	char buf[FLOOR_BUF_SIZE];
	uint32_t portid = mnl_socket_get_portid(nl);
	uint64_t seen = 0;
	unsigned acked = 0;

	while (acked < count) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		if (n < 0)
			die("%s: read ack: %s", steps[acked].what, strerror(errno));
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *err;
			uint32_t i = nlh->nlmsg_seq - first_seq;
			const char *text;

			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != portid ||
			    i >= count || (seen & (UINT64_C(1) << i)))
				continue;
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
				die("%s: truncated ack", steps[i].what);
			err = mnl_nlmsg_get_payload(nlh);
			if (err->error) {
				text = ack_text(nlh);
				die("%s: %s%s%s", steps[i].what, strerror(-err->error),
				    *text ? ": " : "", text);
			}
			seen |= UINT64_C(1) << i;
			acked++;
		}
	}
}

static void send_all(struct mnl_socket *nl, const void *buf, size_t len, const char *what)
{
	ssize_t n = mnl_socket_sendto(nl, buf, len);

	if (n < 0)
		die("%s: send: %s", what, strerror(errno));
	if ((size_t)n != len)
		die("%s: short send (%zd of %zu bytes)", what, n, len);
}

/* The message just built at buf + len (ok: it fitted) ends the batch so far. */
static size_t batch_add(const char *buf, size_t len, bool ok)
{
	if (!ok)
		die("batch: request too large");
	return len + ((const struct nlmsghdr *)(buf + len))->nlmsg_len;
}

int main(int argc, char **argv)
{
	char buf[FLOOR_BUF_SIZE];
	char host[IF_NAMESIZE];
	struct mnl_socket *outer, *inner;
	struct in_addr addr, gateway;
	uint8_t prefix;
	uint32_t bridge, peer;
	uint32_t seq = 1;
	size_t len;
	const struct step veth_step[] = { { "create veth" } };
	const struct step batch[] = {
		{ "set lo up" },
		{ "set " FLOOR_PEER_NAME " up" },
		{ "add address" },
		{ "add default route" },
	};

	if (argc < 6 || strcmp(argv[4], "--") != 0)
		usage();
	parse_cidr(argv[2], &addr, &prefix);
	if (inet_pton(AF_INET, argv[3], &gateway) != 1)
		die("gateway %s: not an IPv4 address", argv[3]);
	snprintf(host, sizeof(host), "flr%ld", (long)getpid());

	/* Opened before unshare(): this socket stays bound to the host netns. */
	outer = rtnl_open("host netns");
	bridge = ifindex_of(outer, argv[1]);
	if (!bridge)
		die("bridge %s: %s", argv[1], strerror(errno));
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET): %s", strerror(errno));

	if (!build_veth(buf, sizeof(buf), seq, host, bridge, (uint32_t)getpid()))
		die("create veth: request too large");
	send_all(outer, buf, ((struct nlmsghdr *)buf)->nlmsg_len, veth_step[0].what);
	read_acks(outer, seq, veth_step, 1);

	inner = rtnl_open("new netns");
	peer = ifindex_of(inner, FLOOR_PEER_NAME);
	if (!peer)
		die("%s in new netns: %s", FLOOR_PEER_NAME, strerror(errno));

	/* Several requests back to back in one buffer: one sendto(). */
	seq = 1;
	len = 0;
	len = batch_add(buf, len, build_link_up(buf + len, sizeof(buf) - len, seq, "lo"));
	len = batch_add(buf, len,
			build_link_up(buf + len, sizeof(buf) - len, seq + 1, FLOOR_PEER_NAME));
	len = batch_add(buf, len,
			build_addr(buf + len, sizeof(buf) - len, seq + 2, peer, addr, prefix));
	len = batch_add(buf, len,
			build_default_route(buf + len, sizeof(buf) - len, seq + 3, peer, gateway));
	send_all(inner, buf, len, "batch");
	read_acks(inner, seq, batch, sizeof(batch) / sizeof(batch[0]));

	/* Both sockets are SOCK_CLOEXEC: the command inherits neither. */
	execvp(argv[5], argv + 5);
	die("exec %s: %s", argv[5], strerror(errno));
}
