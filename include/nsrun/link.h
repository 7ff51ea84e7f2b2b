/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LINK_H
#define NSRUN_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/nl.h"

/* Links: the bridge, the veth pair, link flags.  Builders are pure. */

struct nsrun_bridge {
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int mtu;
	uint8_t mac[NSRUN_MAC_LEN];
	bool up;
	bool has_addr;
	struct nsrun_prefix addr;       /* its primary IPv4 address and length */
};

struct nsrun_veth_req {
	const char *host_name;
	const char *peer_name;
	uint8_t host_mac[NSRUN_MAC_LEN];
	uint8_t peer_mac[NSRUN_MAC_LEN];
	unsigned int host_mtu, peer_mtu;
	int master;                     /* bridge ifindex */
	pid_t netns_pid;                /* the peer goes to this process's netns */
};

/* Builders: write one request at buf (room bytes); NULL when it does not fit. */
struct nlmsghdr *nsrun_link_build_veth(void *buf, size_t room, uint32_t seq,
				       const struct nsrun_veth_req *req);
struct nlmsghdr *nsrun_link_build_alias(void *buf, size_t room, uint32_t seq, const char *name,
					const char *alias);
struct nlmsghdr *nsrun_link_build_up(void *buf, size_t room, uint32_t seq, int ifindex);
struct nlmsghdr *nsrun_link_build_arp_notify(void *buf, size_t room, uint32_t seq, int ifindex);
/* One IPv4 setting of an interface (IPV4_DEVCONF_*), as sysctl conf/<if>/. */
struct nsrun_devconf {
	uint16_t id;
	uint32_t value;
};
/* Sets conf[0..n) on ifindex (IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF). */
struct nlmsghdr *nsrun_link_build_inet_conf(void *buf, size_t room, uint32_t seq, int ifindex,
					    const struct nsrun_devconf *conf, size_t n);
struct nlmsghdr *nsrun_link_build_set_mac(void *buf, size_t room, uint32_t seq, int ifindex,
					  const uint8_t mac[NSRUN_MAC_LEN]);
struct nlmsghdr *nsrun_link_build_bridge(void *buf, size_t room, uint32_t seq, const char *name,
					 const uint8_t mac[NSRUN_MAC_LEN]);
struct nlmsghdr *nsrun_link_build_get(void *buf, size_t room, uint32_t seq, const char *name);

/*
 * Looks up a bridge and its primary IPv4 address in one round trip.
 * -ENODEV: no such device; -ENOTTY: the device is not a bridge.
 */
int nsrun_link_bridge_get(struct nsrun_nl *nl, const char *name, struct nsrun_bridge *br,
			  struct nsrun_err *err);
/*
 * Before any state is touched: does name exist, and is it a bridge?  Two
 * ioctls (SIOCGIFINDEX, and ethtool's driver name).  0; -ENODEV, or -ENOTTY
 * with err saying what it is instead.
 */
int nsrun_link_bridge_check(const struct nsrun_nl *nl, const char *name, struct nsrun_err *err);

/*
 * The same from a handful of ioctls (no netlink round trip) for a bridge
 * seen before: valid only if name still has ifindex known_ifindex (the kind
 * was checked when it was first seen) and an IPv4 address.  -ESTALE: use
 * nsrun_link_bridge_get().
 */
int nsrun_link_bridge_get_known(const struct nsrun_nl *nl, const char *name, int known_ifindex,
				struct nsrun_bridge *br);
/* Creates a bridge, up, with a fixed MAC, and gives it gw (address/len). */
int nsrun_link_bridge_create(struct nsrun_nl *nl, const char *name,
			     const struct nsrun_prefix *gw, struct nsrun_bridge *br,
			     struct nsrun_err *err);
/* Sets the bridge's MAC explicitly (to its current value), so ports coming
 * and going never change it. */
int nsrun_link_bridge_pin_mac(struct nsrun_nl *nl, const struct nsrun_bridge *br,
			      struct nsrun_err *err);

/*
 * Creates the veth pair (host end up, on the bridge; peer straight into the
 * target's netns) and labels the host end with alias, in one batch.
 */
int nsrun_link_add_veth(struct nsrun_nl *nl, const struct nsrun_veth_req *req,
			const char *alias, struct nsrun_err *err);

/* A port of a bridge, as a dump reports it. */
struct nsrun_port {
	char ifname[IFNAMSIZ];
	int ifindex;
	const char *alias;              /* NULL when it has none */
};
typedef int (*nsrun_port_cb)(const struct nsrun_port *port, void *data);

struct nlmsghdr *nsrun_link_build_port_dump(void *buf, size_t room, uint32_t seq, int master);
/* Calls cb for every port of bridge master (one filtered dump; a dump that
 * overflowed the socket, ENOBUFS, is restarted). */
int nsrun_link_list_ports(struct nsrun_nl *nl, int master, nsrun_port_cb cb, void *data,
			  struct nsrun_err *err);

/*
 * Whether the namespace at the far end of veth ifindex is alive.  The kernel
 * reports a peer's netnsid only while that namespace is alive, so a dying
 * namespace's veth (gone soon) is told apart from a held one.  Errs on the
 * side of "alive".
 */
bool nsrun_link_peer_netns_alive(struct nsrun_nl *nl, int ifindex);

/*
 * The far end of link ifindex: the id nl's namespace gives the peer's
 * namespace (-1: none assigned, NSRUN_LINK_NSID_NONE: the peer is in nl's
 * own namespace) and the peer's ifindex there (0: not a paired link).
 */
#define NSRUN_LINK_NSID_NONE INT32_MIN
int nsrun_link_peer(struct nsrun_nl *nl, int ifindex, int *netnsid, int *peer_ifindex);

/* ifindex of the interface called name in nl's namespace, 0 when none. */
int nsrun_link_ifindex(const struct nsrun_nl *nl, const char *name);

#endif
