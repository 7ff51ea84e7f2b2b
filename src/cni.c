/* SPDX-License-Identifier: MIT */
/*
 * --cni: running the node's CNI plugins for one namespace, the cache of
 * what DEL needs, --cni-del, the collection of attachments whose target is
 * gone, and --list rows.  The rules (configuration, versions, requests,
 * answers) are in cni_conf.c.
 *
 * MUST, in this file:
 *   - only root runs plugins: they run as root, with the configuration,
 *     path and cache nsrun hands them;
 *   - a plugin is an executable file named by "type" in a directory of the
 *     CNI path, never a path of its own;
 *   - every plugin runs in the host's network namespace (setns to the fd
 *     saved before unshare, in the child), with an environment built from
 *     scratch, stdin and stdout on pipes, stderr shared, no other fd;
 *   - its output is read up to NSRUN_CNI_TEXT_MAX bytes;
 *   - the cache lives in <state-dir>/cni (mode 0700, owned by us), is
 *     replaced atomically, and is read back strictly;
 *   - DEL runs in reverse order; ADD that fails runs DEL for the plugins
 *     it ran.
 */
#include "nsrun/cni.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nsrun/io.h"
#include "nsrun/launch.h"
#include "nsrun/leasefile.h"
#include "nsrun/link.h"
#include "nsrun/log.h"
#include "nsrun/netns.h"
#include "nsrun/privs.h"
#include "nsrun/proc.h"

#define CACHE_MAX (4 * NSRUN_CNI_TEXT_MAX) /* the config, the result and a little more */
#define ENV_RESULT_MAX (64 * 1024)	   /* NSRUN_CNI_RESULT: well below MAX_ARG_STRLEN */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ID_FILE_MAX (NSRUN_CNI_ID_MAX + 16)
#define NETNS_NAME_MAX (sizeof(NSRUN_CNI_NETNS_PREFIX) + NSRUN_CNI_ID_MAX)

struct nsrun_cni {
	const struct nsrun_config *cfg;
	struct nsrun_cni_cache cache; /* what is cached: the result once ADD is done */
	char **exe;		      /* each plugin's executable */
	char netns_name[NETNS_NAME_MAX];
	int hostfd; /* the host's network namespace */
	int dirfd;  /* <state-dir>/cni */
	int lockfd; /* <ID>.lock, held until exec */
	bool reserved, cached;
	size_t ran;   /* ADD was started for plugins [0, ran) */
	json_t *last; /* the last result ADD returned */
	struct nsrun_cni_env env;
};

static bool is_root(struct nsrun_err *err)
{
	if (getuid() == 0 && geteuid() == 0)
		return true;
	nsrun_err_set(err, EPERM, "cni: only root may run CNI plugins (they run as root)");
	return false;
}

/* ---- running one plugin ------------------------------------------------------ */

/* What every plugin of an attachment is told in its environment. */
struct runner {
	int hostfd;
	const char *cni_path;
	const char *id, *netns, *ifname, *args;
};

/* In the child: report errno on fd to the parent and give up. */
static void __attribute__((noreturn)) child_fail(int fd)
{
	int e = errno;

	if (write(fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static void __attribute__((noreturn))
child(int hostfd, int in, int out, int errw, const char *exe, char **envp)
{
	char *argv[] = { (char *)exe, NULL };
	sigset_t none;
	int fds[3] = { in, out, errw };

	/* Above 0..3 first, so that placing one never overwrites another. */
	for (int i = 0; i < 3; i++) {
		fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
		if (fds[i] < 0)
			child_fail(errw);
	}
	errw = fds[2];
	/* The host's network namespace: plugins never run in the new one. */
	if (setns(hostfd, CLONE_NEWNET) < 0)
		child_fail(errw);
	if (dup2(fds[0], 0) < 0 || dup2(fds[1], 1) < 0 || dup3(fds[2], 3, O_CLOEXEC) < 0)
		child_fail(errw);
	errw = 3;
	/* Nothing else of nsrun's reaches the plugin, whatever its caller left open. */
	if (syscall(SYS_close_range, 4U, ~0U, 0U) < 0)
		for (int fd = 4; fd < 65536; fd++)
			close(fd);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(exe, argv, envp);
	child_fail(errw);
}

struct pipes {
	int in[2], out[2], err[2];
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void pipes_close(struct pipes *p)
{
	for (int i = 0; i < 2; i++) {
		close_fd(&p->in[i]);
		close_fd(&p->out[i]);
		close_fd(&p->err[i]);
	}
}

/* Writes text to the plugin's stdin while reading its stdout, up to max. */
static int exchange(struct pipes *p, const char *text, size_t len, char **out, size_t *outlen,
		    struct nsrun_err *err)
{
	size_t off = 0, cap = 4096, got = 0;
	char *buf = malloc(cap);

	if (!buf)
		return nsrun_err_sys(err, ENOMEM, "output");
	fcntl(p->in[1], F_SETFL, O_NONBLOCK);
	fcntl(p->out[0], F_SETFL, O_NONBLOCK);
	while (p->out[0] >= 0) {
		struct pollfd pfd[2] = { { .fd = p->out[0], .events = POLLIN },
					 { .fd = p->in[1], .events = POLLOUT } };
		ssize_t n;

		if (poll(pfd, p->in[1] >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return nsrun_err_sys(err, errno, "poll");
		}
		if (p->in[1] >= 0 && pfd[1].revents) {
			n = write(p->in[1], text + off, len - off);
			if (n > 0)
				off += (size_t)n;
			/* EPIPE: it stopped reading, which is its business. */
			if ((n < 0 && errno != EAGAIN && errno != EINTR) || off == len)
				close_fd(&p->in[1]);
		}
		if (!pfd[0].revents)
			continue;
		if (got == cap) {
			char *nb = cap < NSRUN_CNI_TEXT_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				free(buf);
				return cap < NSRUN_CNI_TEXT_MAX
					       ? nsrun_err_sys(err, ENOMEM, "output")
					       : nsrun_err_set(err, EFBIG,
							       "output: more than %d bytes",
							       NSRUN_CNI_TEXT_MAX);
			}
			buf = nb;
			cap *= 2;
		}
		n = read(p->out[0], buf + got, cap - got);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			close_fd(&p->out[0]);
	}
	*out = buf;
	*outlen = got;
	return 0;
}

static int env_add(char **env, int *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int env_add(char **env, int *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	env[(*n)++] = s;
	return 0;
}

static void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

/* Built from scratch: the CNI variables and PATH, nothing of the caller's. */
static char **plugin_env(const struct runner *rn, const char *cmd)
{
	const char *path = getenv("PATH");
	bool attachment = strcmp(cmd, "VERSION") && strcmp(cmd, "GC");
	char **env = calloc(8, sizeof(*env));
	int n = 0, bad = 0;

	if (!env)
		return NULL;
	bad |= env_add(env, &n, "CNI_COMMAND=%s", cmd);
	bad |= env_add(env, &n, "CNI_PATH=%s", rn->cni_path);
	/* Plugins that run tools (iptables) look them up in PATH. */
	bad |= env_add(env, &n, "PATH=%s", path && *path ? path : DEFAULT_PATH);
	if (attachment) {
		bad |= env_add(env, &n, "CNI_CONTAINERID=%s", rn->id);
		bad |= env_add(env, &n, "CNI_NETNS=%s", rn->netns);
		bad |= env_add(env, &n, "CNI_IFNAME=%s", rn->ifname);
		bad |= env_add(env, &n, "CNI_ARGS=%s", rn->args ? rn->args : "");
	}
	if (!bad)
		return env;
	env_free(env);
	return NULL;
}

/*
 * Runs exe with request req (cmd: ADD, DEL, VERSION, GC): its output in
 * *out (malloc'ed) and its wait status in *status.  Fails only when the
 * plugin could not be run or said too much.
 */
static int run_plugin(const struct runner *rn, const char *exe, const char *cmd, const json_t *req,
		      char **out, size_t *outlen, int *status, struct nsrun_err *err)
{
	struct pipes p = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	char **env = plugin_env(rn, cmd);
	char *text = json_dumps(req, JSON_COMPACT);
	int child_errno = 0, r;
	pid_t pid;

	*out = NULL;
	if (!env || !text) {
		r = nsrun_err_sys(err, ENOMEM, "%s", cmd);
		goto out;
	}
	if (pipe2(p.in, O_CLOEXEC) < 0 || pipe2(p.out, O_CLOEXEC) < 0 ||
	    pipe2(p.err, O_CLOEXEC) < 0) {
		r = nsrun_err_sys(err, errno, "%s: pipe", cmd);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = nsrun_err_sys(err, errno, "%s: fork", cmd);
		goto out;
	}
	if (pid == 0)
		child(rn->hostfd, p.in[0], p.out[1], p.err[1], exe, env);
	close_fd(&p.in[0]);
	close_fd(&p.out[1]);
	close_fd(&p.err[1]);
	/* A plugin that exits without reading its stdin must not kill us. */
	sigaction(SIGPIPE, &ign, &old);
	r = exchange(&p, text, strlen(text), out, outlen, err);
	sigaction(SIGPIPE, &old, NULL);
	if (r < 0) {
		nsrun_err_ctx(err, "%s", cmd);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && read(p.err[0], &child_errno, sizeof(child_errno)) == sizeof(child_errno))
		r = nsrun_err_sys(err, child_errno, "%s: run %s", cmd, exe);
	if (r < 0) {
		free(*out);
		*out = NULL;
	}
out:
	pipes_close(&p);
	env_free(env);
	free(text);
	return r;
}

/* "plugin bridge: ADD failed (code 7): msg: details", and the like. */
static int plugin_failed(const char *type, const char *cmd, int status, const char *out, size_t len,
			 struct nsrun_err *err)
{
	struct nsrun_cni_error e;

	if (nsrun_cni_error_parse(out, len, &e) == 0)
		return nsrun_err_set(err, EPROTO, "plugin %s: %s failed (code %lld): %s%s%s", type,
				     cmd, e.code, e.msg, e.details[0] ? ": " : "", e.details);
	if (WIFSIGNALED(status))
		return nsrun_err_set(err, EPROTO, "plugin %s: %s failed (killed by signal %d)",
				     type, cmd, WTERMSIG(status));
	return nsrun_err_set(err, EPROTO,
			     "plugin %s: %s failed (exit status %d, no error object on stdout)",
			     type, cmd, WEXITSTATUS(status));
}

/*
 * One call that must succeed: a plugin that fails is an error with its
 * code, msg and details.  Its output in *out (to free), unless out is NULL.
 */
static int call(const struct runner *rn, const char *type, const char *exe, const char *cmd,
		const json_t *req, char **out, size_t *outlen, struct nsrun_err *err)
{
	size_t len = 0;
	char *text = NULL;
	int status = 0, r;

	r = run_plugin(rn, exe, cmd, req, &text, &len, &status, err);
	if (r < 0)
		return nsrun_err_ctx(err, "plugin %s", type);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = plugin_failed(type, cmd, status, text, len, err);
	if (r == 0 && out) {
		*out = text;
		*outlen = len;
		return 0;
	}
	free(text);
	return r;
}

/* ADD: the plugin's result, checked, at version. */
static int call_add(const struct runner *rn, const char *type, const char *exe, const json_t *req,
		    const char *version, json_t **result, struct nsrun_err *err)
{
	size_t len;
	char *out;
	int r = call(rn, type, exe, "ADD", req, &out, &len, err);

	if (r < 0)
		return r;
	r = nsrun_cni_result_parse(out, len, version, result, err);
	free(out);
	return r < 0 ? nsrun_err_ctx(err, "plugin %s: ADD", type) : 0;
}

/* VERSION: the versions plugin type (at exe) speaks, as a mask. */
static int ask_version(const struct runner *rn, const char *type, const char *exe,
		       const struct nsrun_cni_conf *conf, nsrun_cni_vmask *mask,
		       struct nsrun_err *err)
{
	int best = 31 - __builtin_clz(conf->allowed), r;
	json_t *req = json_pack("{s:s}", "cniVersion", nsrun_cni_versions[best]);
	size_t len;
	char *out;

	if (!req)
		return nsrun_err_sys(err, ENOMEM, "plugin %s: VERSION", type);
	r = call(rn, type, exe, "VERSION", req, &out, &len, err);
	json_decref(req);
	if (r < 0)
		return r;
	r = nsrun_cni_version_answer(out, len, mask, err);
	free(out);
	return r < 0 ? nsrun_err_ctx(err, "plugin %s: VERSION", type) : 0;
}

/* The executable called type in a directory of path. */
static int find_plugin(const char *path, const char *type, char **exe, struct nsrun_err *err)
{
	for (const char *p = path; *p;) {
		const char *end = strchrnul(p, ':');
		struct stat st;
		char *cand;

		if (end > p) {
			if (asprintf(&cand, "%.*s/%s", (int)(end - p), p, type) < 0)
				return nsrun_err_sys(err, ENOMEM, "plugin %s", type);
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(cand, X_OK) == 0) {
				*exe = cand;
				return 0;
			}
			free(cand);
		}
		p = *end ? end + 1 : end;
	}
	return nsrun_err_set(err, ENOENT, "plugin %s: not found in %s", type, path);
}

static void free_exes(char **exe, size_t n)
{
	for (size_t i = 0; exe && i < n; i++)
		free(exe[i]);
	free(exe);
}

static int find_plugins(const struct nsrun_cni_conf *conf, const char *path, char ***out,
			struct nsrun_err *err)
{
	char **exe = calloc(conf->nplugins, sizeof(*exe));

	if (!exe)
		return nsrun_err_sys(err, ENOMEM, "plugins");
	for (size_t i = 0; i < conf->nplugins; i++) {
		int r = find_plugin(path, nsrun_cni_conf_type(conf, i), &exe[i], err);

		if (r < 0) {
			free_exes(exe, conf->nplugins);
			return r;
		}
	}
	*out = exe;
	return 0;
}

/*
 * DEL for plugins [0, n) in reverse order, each with prev as prevResult
 * (from 0.4.0).  Goes on after a failure, so that every plugin releases
 * what it can; returns the first failure.
 */
static int del_chain(const struct runner *rn, const struct nsrun_cni_cache *c, char **exe, size_t n,
		     const json_t *prev, struct nsrun_err *err)
{
	const char *version = nsrun_cni_versions[c->version];
	int first = 0;

	if (c->version < nsrun_cni_version_index("0.4.0"))
		prev = NULL;
	for (size_t i = n; i-- > 0;) {
		json_t *req = nsrun_cni_request(&c->conf, i, version, prev, c->caps, NULL);
		struct nsrun_err e = { 0 };
		int r;

		r = req ? call(rn, nsrun_cni_conf_type(&c->conf, i), exe[i], "DEL", req, NULL, NULL,
			       &e)
			: nsrun_err_sys(&e, ENOMEM, "DEL");
		json_decref(req);
		if (r < 0 && !first) {
			first = r;
			*err = e;
		} else if (r < 0) {
			nsrun_log_warn("cni %s: %s", c->conf.name, e.msg);
		}
	}
	return first;
}

/* ---- the cache on disk ----------------------------------------------------------- */

/*
 * <state-dir>/cni, checked as the state directory is (a cache names the
 * plugins root runs): a real directory, with the state directory's owner,
 * writable by nobody else.  Without create, a missing one is *fd = -1.
 */
static int open_cni_dir(const char *state_dir, bool create, int *fd, struct nsrun_err *err)
{
	struct stat st, sst;
	int sfd, d;

	*fd = -1;
	if (!create && stat(state_dir, &st) < 0 && errno == ENOENT)
		return 0;
	sfd = nsrun_leasefile_open_dir(state_dir, err);
	if (sfd < 0)
		return sfd;
	if (create && mkdirat(sfd, "cni", 0700) < 0 && errno != EEXIST) {
		close(sfd);
		return nsrun_err_sys(err, errno, "state directory %s/cni: create", state_dir);
	}
	d = openat(sfd, "cni", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		int e = errno;

		close(sfd);
		if (e == ENOENT && !create)
			return 0;
		return nsrun_err_sys(err, e, "state directory %s/cni", state_dir);
	}
	if (fstat(sfd, &sst) < 0 || fstat(d, &st) < 0 || st.st_uid != sst.st_uid ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(sfd);
		close(d);
		return nsrun_err_set(err, EPERM,
				     "state directory %s/cni: not owned by the state directory's "
				     "owner, or writable by others",
				     state_dir);
	}
	close(sfd);
	*fd = d;
	return 0;
}

/*
 * Locks <ID>.lock.  The file goes with the attachment, so a lock taken on a
 * file removed meanwhile is taken again on the new one.  -EWOULDBLOCK when
 * nonblock and someone holds it.
 */
static int lock_id(int dirfd, const char *id, bool nonblock, int *lockfd, struct nsrun_err *err)
{
	char name[ID_FILE_MAX];

	snprintf(name, sizeof(name), "%s.lock", id);
	for (;;) {
		struct stat a, b;
		int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0)
			return nsrun_err_sys(err, errno, "cni %s: lock file", id);
		while (flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0)) < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			if (e == EWOULDBLOCK)
				return -EWOULDBLOCK;
			return nsrun_err_sys(err, e, "cni %s: lock", id);
		}
		if (fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			*lockfd = fd;
			return 0;
		}
		close(fd);
	}
}

/* The attachment is gone: its lock file goes too (removed while held). */
static void unlock_remove(int dirfd, const char *id, int *lockfd)
{
	char name[ID_FILE_MAX];

	snprintf(name, sizeof(name), "%s.lock", id);
	unlinkat(dirfd, name, 0);
	close_fd(lockfd);
}

static int cache_save(int dirfd, const struct nsrun_cni_cache *c, struct nsrun_err *err)
{
	char name[ID_FILE_MAX], tmp[ID_FILE_MAX + 4];
	char *text = nsrun_cni_cache_format(c);
	int fd, r;

	if (!text)
		return nsrun_err_sys(err, ENOMEM, "cni %s: cache", c->id);
	snprintf(name, sizeof(name), "%s.json", c->id);
	snprintf(tmp, sizeof(tmp), "%s.json.tmp", c->id); /* under the ID's lock */
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		free(text);
		return nsrun_err_sys(err, -r, "cni %s: cache: create", c->id);
	}
	r = nsrun_io_write_all(fd, text, strlen(text));
	free(text);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return nsrun_err_sys(err, -r, "cni %s: cache: write", c->id);
	}
	return 0;
}

/* -ENOENT (and no message) when there is no cache for id. */
static int cache_load(int dirfd, const char *id, struct nsrun_cni_cache *c, struct nsrun_err *err)
{
	char name[ID_FILE_MAX];
	size_t len = 0;
	char *buf = NULL;
	struct stat st;
	int fd, r;

	snprintf(name, sizeof(name), "%s.json", id);
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0)
		return nsrun_err_sys(err, errno, "cni %s: cache", id);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nsrun_err_set(err, EINVAL, "cni %s: cache: not a regular file", id);
	}
	r = nsrun_io_read_all(fd, &buf, &len, CACHE_MAX);
	close(fd);
	if (r < 0)
		return nsrun_err_sys(err, -r, "cni %s: cache: read", id);
	r = nsrun_cni_cache_parse(buf, len, name, c, err);
	free(buf);
	if (r == 0 && strcmp(c->id, id)) {
		nsrun_cni_cache_free(c);
		return nsrun_err_set(err, EINVAL, "cni %s: cache: holds the ID %s", id, c->id);
	}
	return r < 0 ? nsrun_err_ctx(err, "cni %s: cache", id) : 0;
}

static void cache_remove(int dirfd, const char *id)
{
	char name[ID_FILE_MAX];

	snprintf(name, sizeof(name), "%s.json", id);
	unlinkat(dirfd, name, 0);
}

/* path is the namespace of c (its device and inode, as cached). */
static bool is_its_netns(const struct nsrun_cni_cache *c, const char *path)
{
	struct stat st;

	return c->netns_ino && stat(path, &st) == 0 && st.st_dev == c->netns_dev &&
	       st.st_ino == c->netns_ino;
}

/* The file name of the pin, from the cached path. */
static const char *netns_name_of(const struct nsrun_cni_cache *c)
{
	return c->netns + strlen(NSRUN_NETNS_DIR "/");
}

/* CNI_NETNS for a DEL: the pin, else the target's own, else none. */
static void netns_for_del(const struct nsrun_cni_cache *c, char *buf, size_t size)
{
	struct nsrun_err ignored;
	int fd;

	snprintf(buf, size, "%s", c->netns);
	if (is_its_netns(c, buf))
		return;
	/* Killed between the pin and the cache that records it: the name was
	 * reserved for this attachment, so a namespace there is its own. */
	if (!c->netns_ino && (fd = nsrun_netns_open(netns_name_of(c), &ignored)) >= 0) {
		close(fd);
		return;
	}
	snprintf(buf, size, "/proc/%d/ns/net", (int)c->pid);
	if (nsrun_proc_alive(c->pid, c->start) && is_its_netns(c, buf))
		return;
	buf[0] = '\0';
}

/*
 * DEL of a cached attachment, then unpin and forget it.  Needs the ID's
 * lock.  On failure everything stays, for a later try.
 */
static int detach(int dirfd, int hostfd, const struct nsrun_cni_cache *c, const char *cni_path,
		  int *lockfd, struct nsrun_err *err)
{
	struct runner rn = { hostfd, cni_path, c->id, NULL, c->ifname, c->args };
	char netns[sizeof(c->netns) + 32];
	char **exe = NULL;
	int r;

	netns_for_del(c, netns, sizeof(netns));
	rn.netns = netns;
	r = find_plugins(&c->conf, cni_path, &exe, err);
	if (r == 0)
		r = del_chain(&rn, c, exe, c->conf.nplugins, c->result, err);
	free_exes(exe, c->conf.nplugins);
	/* The name is the attachment's, unless someone removed it and made
	 * another namespace of that name since. */
	if (r == 0 && (!c->netns_ino || is_its_netns(c, c->netns)))
		r = nsrun_netns_unpin(netns_name_of(c), err);
	if (r < 0)
		return nsrun_err_ctx(err, "cni %s", c->conf.name);
	cache_remove(dirfd, c->id);
	unlock_remove(dirfd, c->id, lockfd);
	return 0;
}

/* ---- the launch -------------------------------------------------------------------- */

static int load_network(const char *dir, const char *net, struct nsrun_cni_conf *conf,
			struct nsrun_err *err);

/* --cni-cap values nobody would read are a mistake, not a no-op. */
static int check_caps(const struct nsrun_cni_conf *conf, const json_t *caps, struct nsrun_err *err)
{
	const char *key;
	json_t *v;

	json_object_foreach ((json_t *)caps, key, v) {
		bool declared = false;

		for (size_t i = 0; i < conf->nplugins && !declared; i++)
			declared = nsrun_cni_conf_has_cap(conf, i, key);
		if (!declared)
			return nsrun_err_set(
				err, EINVAL,
				"--cni-cap %s: no plugin of network %s declares this capability",
				key, conf->name);
	}
	return 0;
}

static int negotiate(struct nsrun_cni *c, struct nsrun_err *err)
{
	struct runner rn = { c->hostfd, c->cache.cni_path, NULL, NULL, NULL, NULL };
	nsrun_cni_vmask masks[NSRUN_CNI_PLUGINS_MAX];
	const struct nsrun_cni_conf *conf = &c->cache.conf;
	int r;

	for (size_t i = 0; i < conf->nplugins; i++) {
		r = ask_version(&rn, nsrun_cni_conf_type(conf, i), c->exe[i], conf, &masks[i], err);
		if (r < 0)
			return r;
	}
	r = nsrun_cni_version_pick(conf, masks, err);
	if (r < 0)
		return r;
	c->cache.version = r;
	nsrun_log_verbose("cni %s: CNI %s", conf->name, nsrun_cni_versions[r]);
	return 0;
}

/* The default ID names the target for good: its pid and start time. */
static int fill_cache(struct nsrun_cni *c, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = c->cfg;
	struct nsrun_cni_cache *k = &c->cache;
	int r;

	k->pid = getpid();
	r = nsrun_proc_starttime(0, &k->start);
	if (r < 0)
		return nsrun_err_sys(err, -r, "/proc/self/stat");
	k->created = (int64_t)time(NULL);
	if (cfg->cni_id)
		snprintf(k->id, sizeof(k->id), "%s", cfg->cni_id);
	else
		snprintf(k->id, sizeof(k->id), "%d-%llu", (int)k->pid,
			 (unsigned long long)k->start);
	snprintf(c->netns_name, sizeof(c->netns_name), NSRUN_CNI_NETNS_PREFIX "%s", k->id);
	snprintf(k->netns, sizeof(k->netns), NSRUN_NETNS_DIR "/%s", c->netns_name);
	snprintf(k->ifname, sizeof(k->ifname), "%s",
		 cfg->cni_ifname ? cfg->cni_ifname : NSRUN_CNI_IFNAME);
	k->cni_path = strdup(cfg->cni_path ? cfg->cni_path : NSRUN_CNI_PATH);
	k->args = cfg->cni_args ? strdup(cfg->cni_args) : NULL;
	if (!k->cni_path || (cfg->cni_args && !k->args))
		return nsrun_err_sys(err, ENOMEM, "cni");
	return 0;
}

/* The ID is ours: locked, no attachment cached under it, its name reserved. */
static int claim_id(struct nsrun_cni *c, struct nsrun_err *err)
{
	struct nsrun_cni_cache old;
	int r;

	r = open_cni_dir(c->cfg->state_dir, true, &c->dirfd, err);
	if (r < 0)
		return r;
	r = lock_id(c->dirfd, c->cache.id, false, &c->lockfd, err);
	if (r < 0)
		return r;
	r = cache_load(c->dirfd, c->cache.id, &old, err);
	if (r == 0) {
		nsrun_cni_cache_free(&old);
		return nsrun_err_set(
			err, EEXIST,
			"attachment %s: exists already (nsrun --cni-del %s removes it)",
			c->cache.id, c->cache.id);
	}
	if (r != -ENOENT)
		return r;
	r = nsrun_netns_reserve(c->netns_name, err);
	if (r < 0)
		return r;
	c->reserved = true;
	return 0;
}

static int prepare(struct nsrun_cni *c, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = c->cfg;
	struct nsrun_cni_cache *k = &c->cache;
	int r;

	r = fill_cache(c, err);
	if (r < 0)
		return r;
	r = load_network(cfg->cni_conf_dir ? cfg->cni_conf_dir : NSRUN_CNI_CONF_DIR, cfg->cni_net,
			 &k->conf, err);
	if (r < 0)
		return r;
	r = nsrun_cni_caps_build(cfg->cni_caps, cfg->ncni_caps, &k->caps, err);
	if (r == 0)
		r = check_caps(&k->conf, k->caps, err);
	if (r == 0)
		r = find_plugins(&k->conf, k->cni_path, &c->exe, err);
	if (r < 0)
		return r;
	nsrun_log_step("cni-conf");
	c->hostfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (c->hostfd < 0)
		return nsrun_err_sys(err, errno, "/proc/self/ns/net");
	r = negotiate(c, err);
	if (r < 0)
		return r;
	nsrun_log_step("cni-version");
	r = claim_id(c, err);
	if (r < 0)
		return r;
	/* Cached before anything is made: a crash from here on leaves an
	 * attachment that the collection finds and deletes. */
	r = cache_save(c->dirfd, k, err);
	if (r < 0)
		return r;
	c->cached = true;
	nsrun_fault_point("cni-cached");
	nsrun_log_step("cni-cache");
	return 0;
}

int nsrun_cni_prepare(const struct nsrun_config *cfg, struct nsrun_cni **out, struct nsrun_err *err)
{
	struct nsrun_cni *c;
	int r;

	*out = NULL;
	if (!is_root(err))
		return -EPERM;
	c = calloc(1, sizeof(*c));
	if (!c)
		return nsrun_err_sys(err, ENOMEM, "cni");
	c->cfg = cfg;
	c->hostfd = c->dirfd = c->lockfd = -1;
	*out = c;
	r = prepare(c, err);
	return r < 0 ? nsrun_err_ctx(err, "cni %s", cfg->cni_net) : 0;
}

/* lo up, as in every namespace nsrun makes; a "loopback" plugin may do it again. */
static int lo_up(struct nsrun_err *err)
{
	char buf[128] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	struct nsrun_nl nl;
	size_t room;
	void *tail;
	int r;

	/* Opened after unshare(): this socket belongs to the new namespace. */
	r = nsrun_nl_open(&nl, err);
	if (r < 0)
		return r;
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b, nsrun_link_build_up(tail, room, nsrun_nl_batch_seq(&b), 1),
				"set lo up");
	r = r < 0 ? nsrun_err_sys(err, -r, "set lo up")
		  : nsrun_nl_batch_run(&nl, &b, NULL, NULL, err);
	nsrun_nl_close(&nl);
	return r;
}

int nsrun_cni_attach(struct nsrun_cni *c, struct nsrun_err *err)
{
	struct nsrun_cni_cache *k = &c->cache;
	const char *version = nsrun_cni_versions[k->version];
	struct runner rn = { c->hostfd, k->cni_path, k->id, k->netns, k->ifname, k->args };
	struct stat st;
	int r;

	r = lo_up(err);
	/* In the host's mount namespace: `ip netns` and a later DEL see it. */
	if (r == 0)
		r = nsrun_netns_pin(c->netns_name, err);
	if (r < 0)
		return nsrun_err_ctx(err, "cni %s", k->conf.name);
	if (stat(k->netns, &st) < 0)
		return nsrun_err_sys(err, errno, "cni %s: %s", k->conf.name, k->netns);
	k->netns_dev = st.st_dev;
	k->netns_ino = st.st_ino;
	nsrun_fault_point("cni-pinned");
	for (size_t i = 0; i < k->conf.nplugins; i++) {
		json_t *req = nsrun_cni_request(&k->conf, i, version, c->last, k->caps, NULL);
		json_t *result = NULL;

		if (!req)
			return nsrun_err_sys(err, ENOMEM, "cni %s: ADD", k->conf.name);
		c->ran = i + 1;
		r = call_add(&rn, nsrun_cni_conf_type(&k->conf, i), c->exe[i], req, version,
			     &result, err);
		json_decref(req);
		if (r < 0)
			return nsrun_err_ctx(err, "cni %s", k->conf.name);
		json_decref(c->last);
		c->last = result;
	}
	nsrun_log_step("cni-add");
	k->result = json_incref(c->last);
	r = cache_save(c->dirfd, k, err);
	if (r < 0)
		return nsrun_err_ctx(err, "cni %s", k->conf.name);
	nsrun_cni_result_env(k->result, k->ifname, &c->env);
	nsrun_fault_point("cni-added");
	return 0;
}

void nsrun_cni_abort(struct nsrun_cni *c, bool can_undo)
{
	struct nsrun_cni_cache *k = &c->cache;
	struct runner rn = { c->hostfd, k->cni_path, k->id, k->netns, k->ifname, k->args };
	struct nsrun_err e = { 0 };
	int r = 0;

	if (!can_undo) {
		if (c->cached)
			nsrun_log_warn(
				"cni %s: attachment %s stays (nsrun --cni-del %s removes it)",
				k->conf.name, k->id, k->id);
		return;
	}
	if (c->ran)
		r = del_chain(&rn, k, c->exe, c->ran, c->last, &e);
	if (r < 0) {
		/* Keep what a later DEL needs: the pin and the last result. */
		json_decref(k->result);
		k->result = json_incref(c->last);
		if (c->cached && cache_save(c->dirfd, k, &e) < 0)
			nsrun_log_warn("%s", e.msg);
		nsrun_log_warn("cni %s: %s; attachment %s stays (nsrun --cni-del %s removes it)",
			       k->conf.name, e.msg, k->id, k->id);
		return;
	}
	if (c->reserved && nsrun_netns_unpin(c->netns_name, &e) < 0) {
		nsrun_log_warn("cni %s: %s", k->conf.name, e.msg);
		return;
	}
	c->reserved = false;
	if (c->cached)
		cache_remove(c->dirfd, k->id);
	c->cached = false;
	if (c->lockfd >= 0)
		unlock_remove(c->dirfd, k->id, &c->lockfd);
}

void nsrun_cni_free(struct nsrun_cni *c)
{
	if (!c)
		return;
	free_exes(c->exe, c->cache.conf.nplugins);
	nsrun_cni_cache_free(&c->cache);
	json_decref(c->last);
	close_fd(&c->hostfd);
	close_fd(&c->lockfd);
	close_fd(&c->dirfd);
	free(c);
}

static int setenv_addr(const char *var, bool has, const struct nsrun_addr *a)
{
	char buf[NSRUN_ADDR_STRLEN];

	if (!has)
		return unsetenv(var);
	nsrun_addr_format(a, buf);
	return setenv(var, buf, 1);
}

int nsrun_cni_export_env(const struct nsrun_cni *c, struct nsrun_err *err)
{
	const struct nsrun_cni_env *env = &c->env;
	char *result = json_dumps(c->cache.result, JSON_COMPACT);
	char len[8];
	int r = 0;

	if (!result)
		return nsrun_err_sys(err, ENOMEM, "environment");
	/* E2BIG at execve() would come after the attachment: say it now. */
	if (strlen(result) > ENV_RESULT_MAX) {
		free(result);
		return nsrun_err_set(
			err, E2BIG, "cni %s: result too large for NSRUN_CNI_RESULT (over %d bytes)",
			c->cache.conf.name, ENV_RESULT_MAX);
	}
	snprintf(len, sizeof(len), "%u", env->addr.len);
	r |= setenv_addr("NSRUN_ADDR", env->has_addr, &env->addr.addr);
	r |= env->has_addr ? setenv("NSRUN_PREFIX", len, 1) : unsetenv("NSRUN_PREFIX");
	r |= setenv_addr("NSRUN_GATEWAY", env->has_gateway, &env->gateway);
	r |= setenv("NSRUN_IFNAME", c->cache.ifname, 1);
	r |= setenv("NSRUN_CNI_ID", c->cache.id, 1);
	r |= setenv("NSRUN_CNI_NETWORK", c->cache.conf.name, 1);
	r |= setenv("NSRUN_CNI_RESULT", result, 1);
	/* No bridge of nsrun's: a caller's value must not leak through. */
	r |= unsetenv("NSRUN_BRIDGE");
	free(result);
	return r ? nsrun_err_sys(err, errno, "environment") : 0;
}

int nsrun_cni_write_info(const struct nsrun_cni *c, int fd, struct nsrun_err *err)
{
	const struct nsrun_cni_env *env = &c->env;
	char addr[NSRUN_ADDR_STRLEN] = "", gw[NSRUN_ADDR_STRLEN] = "";
	char *text = NULL, *line = NULL;
	json_t *o;
	int r;

	if (env->has_addr)
		nsrun_addr_format(&env->addr.addr, addr);
	if (env->has_gateway)
		nsrun_addr_format(&env->gateway, gw);
	o = json_pack("{s:s?, s:o, s:s?, s:s, s:i, s:s, s:s, s:s, s:O}", "address",
		      env->has_addr ? addr : NULL, "prefix",
		      env->has_addr ? json_integer(env->addr.len) : json_null(), "gateway",
		      env->has_gateway ? gw : NULL, "ifname", c->cache.ifname, "pid", (int)getpid(),
		      "name", c->netns_name, "cni_id", c->cache.id, "network", c->cache.conf.name,
		      "result", c->cache.result);
	if (o)
		text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text || asprintf(&line, "%s\n", text) < 0) {
		free(text);
		close(fd);
		return nsrun_err_sys(err, ENOMEM, "--info-fd");
	}
	r = nsrun_io_write_all(fd, line, strlen(line));
	free(text);
	free(line);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r < 0 ? nsrun_err_sys(err, -r, "--info-fd %d: write", fd) : 0;
}

/* ---- the configuration directory ---------------------------------------------- */

struct conf_dir {
	int fd;
};

static int read_conf(void *ctx, const char *name, char **data, size_t *len, struct nsrun_err *err)
{
	struct conf_dir *d = ctx;
	struct stat st;
	int fd, r;

	fd = openat(d->fd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return nsrun_err_sys(err, errno, "open");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nsrun_err_set(err, EINVAL, "not a regular file");
	}
	r = nsrun_io_read_all(fd, data, len, NSRUN_CNI_TEXT_MAX);
	close(fd);
	return r < 0 ? nsrun_err_sys(err, -r, "read") : 0;
}

static int load_network(const char *dir, const char *net, struct nsrun_cni_conf *conf,
			struct nsrun_err *err)
{
	struct conf_dir d;
	const char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dp;
	int r = 0;

	d.fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.fd < 0)
		return nsrun_err_sys(err, errno, "configuration directory %s", dir);
	dp = fdopendir(fcntl(d.fd, F_DUPFD_CLOEXEC, 0));
	if (!dp) {
		close(d.fd);
		return nsrun_err_sys(err, errno, "configuration directory %s", dir);
	}
	while (r == 0 && (errno = 0, de = readdir(dp))) {
		if (n == cap) {
			const char **nv = reallocarray(names, cap ? cap * 2 : 16, sizeof(*nv));

			if (!nv) {
				r = nsrun_err_sys(err, ENOMEM, "%s", dir);
				break;
			}
			names = nv;
			cap = cap ? cap * 2 : 16;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			r = nsrun_err_sys(err, ENOMEM, "%s", dir);
		else
			n++;
	}
	if (r == 0 && errno)
		r = nsrun_err_sys(err, errno, "configuration directory %s: read", dir);
	if (r == 0) {
		/* find reorders names; keep all pointers to free them. */
		const char **order = malloc((n ? n : 1) * sizeof(*order));

		if (!order) {
			r = nsrun_err_sys(err, ENOMEM, "%s", dir);
		} else {
			memcpy(order, names, n * sizeof(*order));
			r = nsrun_cni_conf_find(dir, order, n, net, read_conf, &d, conf, err);
			free(order);
		}
	}
	for (size_t i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
	closedir(dp);
	close(d.fd);
	return r;
}

/* ---- --cni-del ------------------------------------------------------------------- */

int nsrun_cni_del(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct nsrun_cni_cache c;
	int dirfd = -1, lockfd = -1, hostfd = -1, r;

	if (!is_root(err))
		return -EPERM;
	r = nsrun_privs_check(err);
	if (r < 0)
		return r;
	r = open_cni_dir(cfg->state_dir, false, &dirfd, err);
	if (r < 0)
		return r;
	if (dirfd < 0)
		return nsrun_err_set(err, ENOENT, "cni %s: no such attachment (no %s/cni/%s.json)",
				     cfg->cni_id, cfg->state_dir, cfg->cni_id);
	r = lock_id(dirfd, cfg->cni_id, false, &lockfd, err);
	if (r == 0)
		r = cache_load(dirfd, cfg->cni_id, &c, err);
	if (r == -ENOENT) {
		unlock_remove(dirfd, cfg->cni_id, &lockfd);
		r = nsrun_err_set(err, ENOENT, "cni %s: no such attachment (no %s/cni/%s.json)",
				  cfg->cni_id, cfg->state_dir, cfg->cni_id);
	}
	if (r == 0) {
		hostfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		r = hostfd < 0 ? nsrun_err_sys(err, errno, "/proc/self/ns/net")
			       : detach(dirfd, hostfd, &c,
					cfg->cni_path ? cfg->cni_path : c.cni_path, &lockfd, err);
		if (r == 0)
			nsrun_log_verbose("cni %s: attachment %s deleted", c.conf.name, c.id);
		nsrun_cni_cache_free(&c);
	}
	close_fd(&hostfd);
	close_fd(&lockfd);
	close_fd(&dirfd);
	return r;
}

/* ---- listing the cache --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The IDs with a cache file in dirfd, sorted, as a malloc'ed array of strings. */
static int cached_ids(int dirfd, char ***out, size_t *n, struct nsrun_err *err)
{
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d = fdopendir(fcntl(dirfd, F_DUPFD_CLOEXEC, 0));

	*out = NULL;
	*n = 0;
	if (!d)
		return nsrun_err_sys(err, errno, "cni state directory");
	while ((errno = 0, de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char id[NSRUN_CNI_ID_MAX + 1];

		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") || len - 5 > NSRUN_CNI_ID_MAX)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(len - 5), de->d_name);
		if (nsrun_cni_id_invalid(id))
			continue;
		if (*n == cap) {
			char **nv = reallocarray(v, cap ? cap * 2 : 16, sizeof(*v));

			if (!nv)
				break;
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[*n] = strdup(id);
		if (!v[*n])
			break;
		(*n)++;
	}
	closedir(d);
	if (de || errno) {
		int e = errno ? errno : ENOMEM;

		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		return nsrun_err_sys(err, e, "cni state directory: read");
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_str);
	*out = v;
	return 0;
}

static void free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int nsrun_cni_list(const char *state_dir, nsrun_cni_list_fn fn, void *data, struct nsrun_err *err)
{
	char **ids = NULL;
	size_t n = 0;
	int dirfd, r;

	r = open_cni_dir(state_dir, false, &dirfd, err);
	if (r < 0 || dirfd < 0)
		return r;
	r = cached_ids(dirfd, &ids, &n, err);
	for (size_t i = 0; i < n && r == 0; i++) {
		struct nsrun_cni_cache c;
		struct nsrun_cni_env env = { 0 };
		struct nsrun_cni_listing a;
		struct nsrun_err e = { 0 };

		if (cache_load(dirfd, ids[i], &c, &e) < 0) {
			if (e.code && e.code != ENOENT)
				nsrun_log_warn("%s", e.msg);
			continue;
		}
		if (c.result)
			nsrun_cni_result_env(c.result, c.ifname, &env);
		a = (struct nsrun_cni_listing){ .id = c.id,
						.network = c.conf.name,
						.env = &env,
						.added = c.result != NULL,
						.pinned = is_its_netns(&c, c.netns),
						.pid = c.pid,
						.start = c.start,
						.created = c.created };
		r = fn(&a, data);
		nsrun_cni_cache_free(&c);
	}
	free_ids(ids, n);
	close(dirfd);
	return r;
}

/* ---- collection ------------------------------------------------------------------------ */

/* A network nsrun has attachments on: its newest configuration, who is live. */
struct gc_net {
	struct nsrun_cni_cache newest; /* conf and cni_path of the newest attachment */
	json_t *valid;		       /* [{"containerID", "ifname"}] of the live ones */
};

struct gc {
	const struct nsrun_config *cfg;
	FILE *out;
	int dirfd, hostfd;
	struct gc_net *nets;
	size_t nnets;
	size_t collected, live, failed;
};

static struct gc_net *gc_net_of(struct gc *g, struct nsrun_cni_cache *c)
{
	struct gc_net *n = NULL;

	for (size_t i = 0; i < g->nnets && !n; i++)
		if (!strcmp(g->nets[i].newest.conf.name, c->conf.name))
			n = &g->nets[i];
	if (!n) {
		struct gc_net *v = reallocarray(g->nets, g->nnets + 1, sizeof(*v));

		if (!v)
			return NULL;
		g->nets = v;
		n = &g->nets[g->nnets++];
		memset(n, 0, sizeof(*n));
		n->valid = json_array();
		if (!n->valid)
			return NULL;
	} else if (n->newest.created > c->created) {
		return n;
	}
	nsrun_cni_cache_free(&n->newest);
	n->newest = *c; /* taken over */
	memset(c, 0, sizeof(*c));
	return n;
}

static void gc_one(struct gc *g, const char *id)
{
	struct nsrun_cni_cache c;
	struct nsrun_err e = { 0 };
	struct gc_net *net;
	json_t *entry;
	char addr[NSRUN_ADDR_STRLEN] = "-";
	int lockfd = -1, r;
	bool live;

	if (cache_load(g->dirfd, id, &c, &e) < 0) {
		if (e.code && e.code != ENOENT) {
			fprintf(g->out, "nsrun: %s; left alone\n", e.msg);
			g->failed++;
		}
		return;
	}
	/* Locked: an ADD or a DEL runs right now, so it is someone's. */
	r = lock_id(g->dirfd, id, true, &lockfd, &e);
	live = r == -EWOULDBLOCK || nsrun_proc_alive(c.pid, c.start);
	if (!live && r == 0) {
		struct nsrun_cni_env env;

		/* Read again under the lock: a DEL may have just finished. */
		nsrun_cni_cache_free(&c);
		if (cache_load(g->dirfd, id, &c, &e) < 0) {
			unlock_remove(g->dirfd, id, &lockfd);
			return;
		}
		if (c.result) {
			nsrun_cni_result_env(c.result, c.ifname, &env);
			if (env.has_addr)
				nsrun_addr_format(&env.addr.addr, addr);
		}
		r = detach(g->dirfd, g->hostfd, &c,
			   g->cfg->cni_path ? g->cfg->cni_path : c.cni_path, &lockfd, &e);
		if (r == 0) {
			fprintf(g->out, "nsrun: cni %s: collected %s %s (pid %d gone)\n",
				c.conf.name, id, addr, (int)c.pid);
			g->collected++;
		}
	}
	if (r < 0 && r != -EWOULDBLOCK) {
		fprintf(g->out, "nsrun: %s; attachment %s kept\n", e.msg, id);
		g->failed++;
	}
	/* The live ones are the valid attachments of their network's GC. */
	entry = live ? json_pack("{s:s, s:s}", "containerID", id, "ifname", c.ifname) : NULL;
	net = gc_net_of(g, &c);
	if (live) {
		g->live++;
		if (!net || !entry || json_array_append(net->valid, entry) < 0)
			g->failed++;
		json_decref(entry);
	}
	close_fd(&lockfd);
	nsrun_cni_cache_free(&c);
}

/* CNI 1.1 GC, with the live attachments, to the plugins that speak it. */
static void plugin_gc(struct gc *g, struct gc_net *net)
{
	const struct nsrun_cni_cache *c = &net->newest;
	const char *path = g->cfg->cni_path ? g->cfg->cni_path : c->cni_path;
	int v11 = nsrun_cni_version_index("1.1.0");
	struct runner rn = { g->hostfd, path, NULL, NULL, NULL, NULL };
	char sent[256] = "", skipped[256] = "";
	size_t nvalid = json_array_size(net->valid);

	if (c->conf.disable_gc) {
		fprintf(g->out, "nsrun: cni %s: no GC (disableGC)\n", c->conf.name);
		return;
	}
	if (!(c->conf.allowed & (1u << v11))) {
		fprintf(g->out, "nsrun: cni %s: no GC (its cniVersion is %s; GC is 1.1.0's)\n",
			c->conf.name, c->conf.version);
		return;
	}
	for (size_t i = 0; i < c->conf.nplugins; i++) {
		const char *type = nsrun_cni_conf_type(&c->conf, i);
		struct nsrun_err e = { 0 };
		nsrun_cni_vmask mask = 0;
		char *exe = NULL;
		json_t *req;
		int r;

		r = find_plugin(path, type, &exe, &e);
		if (r == 0)
			r = ask_version(&rn, type, exe, &c->conf, &mask, &e);
		if (r == 0 && !(mask & (1u << v11))) {
			snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped),
				 "%s%s", skipped[0] ? ", " : "", type);
		} else if (r == 0) {
			req = nsrun_cni_request(&c->conf, i, "1.1.0", NULL, NULL, net->valid);
			r = req ? call(&rn, type, exe, "GC", req, NULL, NULL, &e)
				: nsrun_err_sys(&e, ENOMEM, "GC");
			json_decref(req);
			if (r == 0)
				snprintf(sent + strlen(sent), sizeof(sent) - strlen(sent), "%s%s",
					 sent[0] ? ", " : "", type);
		}
		if (r < 0) {
			fprintf(g->out, "nsrun: cni %s: %s\n", c->conf.name, e.msg);
			g->failed++;
		}
		free(exe);
	}
	fprintf(g->out, "nsrun: cni %s: GC sent to %s (%zu valid attachment%s)%s%s%s\n",
		c->conf.name, sent[0] ? sent : "no plugin", nvalid, nvalid == 1 ? "" : "s",
		skipped[0] ? "; not to " : "", skipped, skipped[0] ? " (no CNI 1.1.0)" : "");
}

int nsrun_cni_gc(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err)
{
	struct gc g = { .cfg = cfg, .out = out, .dirfd = -1, .hostfd = -1 };
	char **ids = NULL;
	size_t n = 0;
	int r;

	if (!is_root(err))
		return -EPERM;
	r = open_cni_dir(cfg->state_dir, false, &g.dirfd, err);
	if (r == 0 && g.dirfd >= 0)
		r = cached_ids(g.dirfd, &ids, &n, err);
	if (r == 0 && n) {
		g.hostfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (g.hostfd < 0)
			r = nsrun_err_sys(err, errno, "/proc/self/ns/net");
	}
	for (size_t i = 0; i < n && r == 0; i++)
		gc_one(&g, ids[i]);
	for (size_t i = 0; i < g.nnets && r == 0 && cfg->cni_plugin_gc; i++)
		plugin_gc(&g, &g.nets[i]);
	if (r == 0)
		fprintf(out, "nsrun: cni gc: %zu attachment%s collected, %zu live\n", g.collected,
			g.collected == 1 ? "" : "s", g.live);
	if (r == 0 && g.failed)
		r = nsrun_err_set(err, EIO, "cni gc: %zu failure%s (see above)", g.failed,
				  g.failed == 1 ? "" : "s");
	for (size_t i = 0; i < g.nnets; i++) {
		nsrun_cni_cache_free(&g.nets[i].newest);
		json_decref(g.nets[i].valid);
	}
	free(g.nets);
	free_ids(ids, n);
	close_fd(&g.hostfd);
	close_fd(&g.dirfd);
	return r;
}
