/* SPDX-License-Identifier: MIT */
/*
 * The pure half of --cni: configuration lists, versions, plugin requests,
 * plugin answers, NSRUN_* values, the cache text.  No I/O: files come
 * through a callback, so every rule is unit-tested and fuzzed.
 */
#include "nsrun/cni.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/name.h"

const char *const nsrun_cni_versions[NSRUN_CNI_NVERSIONS + 1] = {
	"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", NULL,
};

/* ---- names and arguments ------------------------------------------------ */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const char *id_like_invalid(const char *s, size_t max, const char *too_long)
{
	size_t n = strlen(s);

	if (n == 0)
		return "empty";
	if (n > max)
		return too_long;
	if (!is_alnum(s[0]))
		return "must start with a letter or a digit";
	for (size_t i = 1; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return "only letters, digits, '_', '.' and '-' are allowed";
	return NULL;
}

const char *nsrun_cni_id_invalid(const char *id)
{
	return id_like_invalid(id, NSRUN_CNI_ID_MAX, "longer than 57 bytes");
}

const char *nsrun_cni_name_invalid(const char *name)
{
	return id_like_invalid(name, NSRUN_CNI_NAME_MAX, "longer than 128 bytes");
}

const char *nsrun_cni_args_invalid(const char *args)
{
	const char *p = args;

	if (strlen(args) > NSRUN_CNI_ARGS_MAX)
		return "longer than 4096 bytes";
	for (;;) {
		const char *key = p;

		while (is_alnum(*p) || *p == '_' || *p == '-')
			p++;
		if (p == key)
			return "expected KEY=VALUE pairs separated by ';' (a key is letters, "
			       "digits, '_' and '-')";
		if (*p != '=')
			return "a key without '=VALUE'";
		for (p++; *p && *p != ';'; p++)
			if (*p <= ' ' || *p > '~')
				return "a value holds a space or a byte that is not printable "
				       "ASCII";
		if (!*p)
			return NULL;
		p++; /* ';' */
	}
}

/* A string from a file or a plugin, safe in a one-line message. */
static const char *shown(const char *s, char buf[48])
{
	size_t i;

	for (i = 0; s[i] && i < 40; i++)
		buf[i] = (s[i] < ' ' || s[i] == 0x7f) ? '?' : s[i];
	if (s[i])
		memcpy(buf + i, "...", 4);
	else
		buf[i] = '\0';
	return buf;
}

/* ---- versions -------------------------------------------------------------- */

static int version_part(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint32_t v = 0;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits == 1 && v == 0)
			return -EINVAL; /* a leading zero */
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > 999)
			return -ERANGE;
	}
	if (!digits)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

int nsrun_cni_version_parse(const char *s, uint32_t *out)
{
	uint32_t x, y, z;

	if (version_part(&s, &x) < 0 || *s++ != '.' || version_part(&s, &y) < 0 || *s++ != '.' ||
	    version_part(&s, &z) < 0 || *s)
		return -EINVAL;
	*out = x * 1000000 + y * 1000 + z;
	return 0;
}

int nsrun_cni_version_index(const char *s)
{
	for (int i = 0; i < NSRUN_CNI_NVERSIONS; i++)
		if (!strcmp(s, nsrun_cni_versions[i]))
			return i;
	return -1;
}

void nsrun_cni_vmask_format(nsrun_cni_vmask m, char *buf, size_t size)
{
	unsigned int n = (unsigned int)__builtin_popcount(m), k = 0;
	size_t len = 0;

	snprintf(buf, size, "none");
	for (int i = 0; i < NSRUN_CNI_NVERSIONS && len < size; i++) {
		if (!(m & (1u << i)))
			continue;
		k++;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					k == 1	 ? ""
					: k == n ? " and "
						 : ", ",
					nsrun_cni_versions[i]);
	}
}

/*
 * The versions a list may run at: those it names (cniVersion, and the 1.1
 * cniVersions list), and for a 1.x version every older 1.y nsrun speaks:
 * 1.1 only added to 1.0 (GC, STATUS, fields of results), so a 1.1.0 list
 * runs at 1.0.0 with plugins that stop there (Debian's do).
 */
static nsrun_cni_vmask allowed_by(uint32_t declared)
{
	nsrun_cni_vmask m = 0;

	for (int i = 0; i < NSRUN_CNI_NVERSIONS; i++) {
		uint32_t v;

		nsrun_cni_version_parse(nsrun_cni_versions[i], &v);
		if (v == declared || (v / 1000000 == 1 && declared / 1000000 == 1 && v < declared))
			m |= 1u << i;
	}
	return m;
}

/* ---- JSON helpers ---------------------------------------------------------------- */

static int json_fail(struct nsrun_err *err, const char *what, const json_error_t *e)
{
	return nsrun_err_set(err, EINVAL, "%s: line %d, column %d: %s", what, e->line, e->column,
			     e->text);
}

/* Bounded, duplicate keys rejected, an object or an array at the top. */
static json_t *load(const char *data, size_t len, const char *what, struct nsrun_err *err)
{
	json_error_t e;
	json_t *j;

	if (len > NSRUN_CNI_TEXT_MAX) {
		nsrun_err_set(err, EFBIG, "%s: larger than %d bytes", what, NSRUN_CNI_TEXT_MAX);
		return NULL;
	}
	j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		json_fail(err, what, &e);
	return j;
}

static const char *opt_string(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- the configuration list -------------------------------------------------------- */

static const char *type_invalid(const char *t)
{
	size_t n = strlen(t);

	if (n == 0)
		return "empty";
	if (n > NSRUN_CNI_TYPE_MAX)
		return "longer than 255 bytes";
	if (strchr(t, '/'))
		return "contains '/' (plugins are found only in the CNI path)";
	if (strchr(t, '\\'))
		return "contains '\\'";
	if (!strcmp(t, ".") || !strcmp(t, ".."))
		return "is . or ..";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < ' ' || t[i] == 0x7f)
			return "contains a control character";
	return NULL;
}

static int check_plugin(const json_t *p, size_t i, const char *file, struct nsrun_err *err)
{
	const json_t *caps, *v;
	const char *key, *type, *why;
	char buf[48];

	if (!json_is_object(p))
		return nsrun_err_set(err, EINVAL, "%s: plugins[%zu]: not an object", file, i);
	type = opt_string(p, "type");
	if (!type)
		return nsrun_err_set(err, EINVAL, "%s: plugins[%zu].type: missing or not a string",
				     file, i);
	why = type_invalid(type);
	if (why)
		return nsrun_err_set(err, EINVAL, "%s: plugins[%zu].type \"%s\": %s", file, i,
				     shown(type, buf), why);
	caps = json_object_get(p, "capabilities");
	if (caps && !json_is_object(caps))
		return nsrun_err_set(err, EINVAL, "%s: plugins[%zu].capabilities: not an object",
				     file, i);
	json_object_foreach ((json_t *)caps, key, v)
		if (!json_is_boolean(v))
			return nsrun_err_set(err, EINVAL,
					     "%s: plugins[%zu].capabilities.%s: not true or false",
					     file, i, shown(key, buf));
	return 0;
}

static int check_version_string(const json_t *v, const char *file, const char *what, uint32_t *out,
				struct nsrun_err *err)
{
	char buf[48];

	if (!json_is_string(v))
		return nsrun_err_set(err, EINVAL, "%s: %s: missing or not a string", file, what);
	if (nsrun_cni_version_parse(json_string_value(v), out) < 0)
		return nsrun_err_set(err, EINVAL, "%s: %s \"%s\": not a version (X.Y.Z)", file,
				     what, shown(json_string_value(v), buf));
	return 0;
}

static int check_bool(const json_t *list, const char *key, bool *out, const char *file,
		      struct nsrun_err *err)
{
	const json_t *v = json_object_get(list, key);

	if (v && !json_is_boolean(v))
		return nsrun_err_set(err, EINVAL, "%s: %s: not true or false", file, key);
	*out = json_is_true(v);
	return 0;
}

static int check_list(json_t *list, const char *file, struct nsrun_cni_conf *out,
		      struct nsrun_err *err)
{
	const json_t *name = json_object_get(list, "name"), *versions, *plugins, *v;
	const char *why;
	char buf[48], have[64];
	uint32_t declared;
	bool disable_check;
	size_t i;
	int r;

	if (!json_is_string(name))
		return nsrun_err_set(err, EINVAL, "%s: name: missing or not a string", file);
	why = nsrun_cni_name_invalid(json_string_value(name));
	if (why)
		return nsrun_err_set(err, EINVAL, "%s: name \"%s\": %s", file,
				     shown(json_string_value(name), buf), why);
	r = check_version_string(json_object_get(list, "cniVersion"), file, "cniVersion", &declared,
				 err);
	if (r < 0)
		return r;
	out->allowed = allowed_by(declared);
	versions = json_object_get(list, "cniVersions");
	if (versions && !json_is_array(versions))
		return nsrun_err_set(err, EINVAL, "%s: cniVersions: not an array", file);
	json_array_foreach (versions, i, v) {
		char what[48];

		snprintf(what, sizeof(what), "cniVersions[%zu]", i);
		r = check_version_string(v, file, what, &declared, err);
		if (r < 0)
			return r;
		out->allowed |= allowed_by(declared);
	}
	if (!out->allowed) {
		nsrun_cni_vmask_format((1u << NSRUN_CNI_NVERSIONS) - 1, have, sizeof(have));
		return nsrun_err_set(
			err, ENOTSUP, "%s: cniVersion %s: nsrun speaks CNI %s", file,
			shown(json_string_value(json_object_get(list, "cniVersion")), buf), have);
	}
	r = check_bool(list, "disableCheck", &disable_check, file, err);
	if (r == 0)
		r = check_bool(list, "disableGC", &out->disable_gc, file, err);
	if (r < 0)
		return r;
	plugins = json_object_get(list, "plugins");
	if (!json_is_array(plugins))
		return nsrun_err_set(err, EINVAL, "%s: plugins: missing or not an array", file);
	if (json_array_size(plugins) == 0)
		return nsrun_err_set(err, EINVAL, "%s: plugins: empty", file);
	if (json_array_size(plugins) > NSRUN_CNI_PLUGINS_MAX)
		return nsrun_err_set(err, E2BIG, "%s: plugins: more than %d", file,
				     NSRUN_CNI_PLUGINS_MAX);
	json_array_foreach (plugins, i, v) {
		r = check_plugin(v, i, file, err);
		if (r < 0)
			return r;
	}
	out->nplugins = json_array_size(plugins);
	out->name = json_string_value(name);
	out->version = json_string_value(json_object_get(list, "cniVersion"));
	return 0;
}

int nsrun_cni_conf_from_json(json_t *list, const char *file, struct nsrun_cni_conf *out,
			     struct nsrun_err *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(list))
		return nsrun_err_set(err, EINVAL, "%s: not a JSON object", file);
	r = check_list(list, file, out, err);
	if (r < 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	out->file = strdup(file);
	if (!out->file) {
		memset(out, 0, sizeof(*out));
		return nsrun_err_sys(err, ENOMEM, "%s", file);
	}
	out->list = json_incref(list);
	return 0;
}

/* A legacy file holds one plugin's configuration: the list around it. */
static json_t *wrap_legacy(json_t *conf)
{
	json_t *list = json_object(), *plugins = json_array();
	static const char *const keys[] = { "cniVersion", "name" };

	if (!list || !plugins || json_array_append(plugins, conf) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(conf, keys[i]);

		if (v && json_object_set(list, keys[i], v) < 0)
			goto fail;
	}
	if (json_object_set_new(list, "plugins", plugins) == 0)
		return list;
	plugins = NULL;
fail:
	json_decref(plugins);
	json_decref(list);
	return NULL;
}

int nsrun_cni_conf_parse(const char *file, const char *data, size_t len, bool legacy,
			 const char *net, struct nsrun_cni_conf *out, struct nsrun_err *err)
{
	json_t *root = load(data, len, file, err), *list;
	const char *name;
	int r;

	memset(out, 0, sizeof(*out));
	if (!root)
		return -err->code;
	if (!json_is_object(root)) {
		json_decref(root);
		return nsrun_err_set(err, EINVAL, "%s: not a JSON object", file);
	}
	name = opt_string(root, "name");
	if (!name) {
		json_decref(root);
		return nsrun_err_set(err, EINVAL, "%s: name: missing or not a string", file);
	}
	if (strcmp(name, net)) {
		json_decref(root);
		return 0;
	}
	list = root;
	if (legacy) {
		if (json_object_get(root, "plugins")) {
			json_decref(root);
			return nsrun_err_set(err, EINVAL,
					     "%s: has a plugins list: a configuration list belongs "
					     "in a .conflist file",
					     file);
		}
		list = wrap_legacy(root);
		json_decref(root);
		if (!list)
			return nsrun_err_sys(err, ENOMEM, "%s", file);
	}
	r = nsrun_cni_conf_from_json(list, file, out, err);
	json_decref(list);
	return r < 0 ? r : 1;
}

static int file_class(const char *name)
{
	size_t n = strlen(name);
	static const struct {
		const char *suffix;
		int class;
	} kinds[] = { { ".conflist", 0 }, { ".conf", 1 }, { ".json", 1 } };

	if (name[0] == '.')
		return -1;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t s = strlen(kinds[i].suffix);

		if (n > s && !strcmp(name + n - s, kinds[i].suffix))
			return kinds[i].class;
	}
	return -1;
}

static int cmp_conf_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int cx = file_class(x), cy = file_class(y);

	return cx != cy ? cx - cy : strcmp(x, y);
}

size_t nsrun_cni_conf_order(const char **names, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++)
		if (file_class(names[i]) >= 0)
			names[kept++] = names[i];
	if (kept > 1)
		qsort(names, kept, sizeof(*names), cmp_conf_name);
	return kept;
}

int nsrun_cni_conf_find(const char *dir, const char **names, size_t n, const char *net,
			nsrun_cni_read_fn reader, void *ctx, struct nsrun_cni_conf *out,
			struct nsrun_err *err)
{
	n = nsrun_cni_conf_order(names, n);
	for (size_t i = 0; i < n; i++) {
		char *data = NULL, *file = NULL;
		size_t len = 0;
		int r;

		if (asprintf(&file, "%s/%s", dir, names[i]) < 0)
			return nsrun_err_sys(err, ENOMEM, "%s", dir);
		r = reader(ctx, names[i], &data, &len, err);
		if (r == 0)
			r = nsrun_cni_conf_parse(file, data, len, file_class(names[i]) == 1, net,
						 out, err);
		else
			nsrun_err_ctx(err, "%s", file);
		free(data);
		free(file);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return nsrun_err_set(err, ENOENT,
			     "not found in %s (no .conflist, .conf or .json file names it)", dir);
}

void nsrun_cni_conf_free(struct nsrun_cni_conf *c)
{
	json_decref(c->list);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

static json_t *plugin_of(const struct nsrun_cni_conf *c, size_t i)
{
	return json_array_get(json_object_get(c->list, "plugins"), i);
}

const char *nsrun_cni_conf_type(const struct nsrun_cni_conf *c, size_t i)
{
	return opt_string(plugin_of(c, i), "type");
}

bool nsrun_cni_conf_has_cap(const struct nsrun_cni_conf *c, size_t i, const char *cap)
{
	return json_is_true(json_object_get(json_object_get(plugin_of(c, i), "capabilities"), cap));
}

/* ---- negotiation and requests --------------------------------------------------- */

int nsrun_cni_version_answer(const char *out, size_t len, nsrun_cni_vmask *mask,
			     struct nsrun_err *err)
{
	json_t *root = load(out, len, "answer", err);
	const json_t *sv, *v;
	size_t i;

	*mask = 0;
	if (!root)
		return -err->code;
	sv = json_object_get(root, "supportedVersions");
	if (!json_is_array(sv)) {
		json_decref(root);
		return nsrun_err_set(err, EINVAL,
				     "answer: supportedVersions: missing or not an array");
	}
	json_array_foreach (sv, i, v) {
		int k;

		if (!json_is_string(v)) {
			json_decref(root);
			return nsrun_err_set(err, EINVAL,
					     "answer: supportedVersions[%zu]: not a string", i);
		}
		k = nsrun_cni_version_index(json_string_value(v));
		if (k >= 0)
			*mask |= 1u << k;
	}
	json_decref(root);
	return 0;
}

int nsrun_cni_version_pick(const struct nsrun_cni_conf *c, const nsrun_cni_vmask *masks,
			   struct nsrun_err *err)
{
	nsrun_cni_vmask m = c->allowed;
	char speaks[64], needs[64];

	for (size_t i = 0; i < c->nplugins; i++) {
		if (!(m & masks[i])) {
			nsrun_cni_vmask_format(masks[i], speaks, sizeof(speaks));
			nsrun_cni_vmask_format(m, needs, sizeof(needs));
			return nsrun_err_set(err, ENOTSUP,
					     "plugin %s: speaks CNI %s, the network needs %s%s: no "
					     "version in common",
					     nsrun_cni_conf_type(c, i), speaks,
					     __builtin_popcount(m) > 1 ? "one of " : "", needs);
		}
		m &= masks[i];
	}
	return 31 - __builtin_clz(m);
}

int nsrun_cni_caps_build(const char *const *args, size_t n, json_t **caps, struct nsrun_err *err)
{
	json_t *o;

	*caps = NULL;
	if (!n)
		return 0;
	o = json_object();
	if (!o)
		return nsrun_err_sys(err, ENOMEM, "--cni-cap");
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');
		char key[128], what[160];
		json_error_t e;
		json_t *v;

		if (!eq || eq == args[i] || (size_t)(eq - args[i]) >= sizeof(key)) {
			json_decref(o);
			return nsrun_err_set(
				err, EINVAL,
				"--cni-cap %s: expected NAME=JSON (a name of 1 to 127 bytes)",
				args[i]);
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - args[i]), args[i]);
		if (json_object_get(o, key)) {
			json_decref(o);
			return nsrun_err_set(err, EINVAL, "--cni-cap %s: given twice", key);
		}
		v = json_loads(eq + 1, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
		if (!v) {
			json_decref(o);
			snprintf(what, sizeof(what), "--cni-cap %s: not JSON", key);
			return json_fail(err, what, &e);
		}
		if (json_object_set_new(o, key, v) < 0) {
			json_decref(o);
			return nsrun_err_sys(err, ENOMEM, "--cni-cap");
		}
	}
	*caps = o;
	return 0;
}

json_t *nsrun_cni_request(const struct nsrun_cni_conf *c, size_t i, const char *version,
			  const json_t *prev, const json_t *caps, const json_t *attachments)
{
	json_t *p = json_deep_copy(plugin_of(c, i)), *rc = json_object(), *v;
	const char *key;
	int bad = !p || !rc;

	if (!bad) {
		json_object_foreach (json_object_get(p, "capabilities"), key, v)
			if (json_is_true(v) && json_object_get(caps, key))
				bad |= json_object_set_new(
					rc, key, json_deep_copy(json_object_get(caps, key)));
		json_object_del(p, "capabilities");
		json_object_del(p, "prevResult");
		bad |= json_object_set_new(p, "cniVersion", json_string(version));
		bad |= json_object_set_new(p, "name", json_string(c->name));
		if (prev)
			bad |= json_object_set_new(p, "prevResult", json_deep_copy(prev));
		if (json_object_size(rc))
			bad |= json_object_set(p, "runtimeConfig", rc);
		/* The key of the 1.1.0 spec, and the one of its drafts that
		 * plugins of that time read (libcni sends both too). */
		if (attachments)
			bad |= json_object_set_new(p, "cni.dev/valid-attachments",
						   json_deep_copy(attachments)) |
			       json_object_set_new(p, "cni.dev/attachments",
						   json_deep_copy(attachments));
	}
	json_decref(rc);
	if (bad) {
		json_decref(p);
		return NULL;
	}
	return p;
}

/* ---- answers ------------------------------------------------------------------------ */

static int parse_ip(const char *s, struct nsrun_addr *a)
{
	if (nsrun_addr_parse(s, a) == 0)
		return 0;
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	return inet_pton(AF_INET6, s, &a->u.v6) == 1 ? 0 : -EINVAL;
}

static int parse_cidr(const char *s, struct nsrun_prefix *p)
{
	const char *slash = strrchr(s, '/');
	char ip[NSRUN_ADDR_STRLEN];
	unsigned long len = 0;
	size_t digits;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -EINVAL;
	snprintf(ip, sizeof(ip), "%.*s", (int)(slash - s), s);
	if (parse_ip(ip, &p->addr) < 0)
		return -EINVAL;
	digits = strspn(slash + 1, "0123456789");
	if (digits == 0 || digits > 3 || slash[1 + digits] || (digits > 1 && slash[1] == '0'))
		return -EINVAL;
	len = strtoul(slash + 1, NULL, 10);
	if (len > (p->addr.family == AF_INET ? 32u : 128u))
		return -EINVAL;
	p->len = (unsigned int)len;
	return 0;
}

/* Each element of result[key] is an object; required/optional members. */
static int check_entries(const json_t *result, const char *key, const char *need,
			 int (*parse)(const char *, void *), const char *opt,
			 int (*parse_opt)(const char *, void *), struct nsrun_err *err)
{
	const json_t *arr = json_object_get(result, key), *e;
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return nsrun_err_set(err, EINVAL, "%s: not an array", key);
	json_array_foreach (arr, i, e) {
		const json_t *v = json_object_get(e, need),
			     *o = opt ? json_object_get(e, opt) : NULL;
		union {
			struct nsrun_prefix p;
			struct nsrun_addr a;
		} scratch;

		if (!json_is_object(e))
			return nsrun_err_set(err, EINVAL, "%s[%zu]: not an object", key, i);
		if (!json_is_string(v))
			return nsrun_err_set(err, EINVAL, "%s[%zu].%s: missing or not a string",
					     key, i, need);
		if (parse && parse(json_string_value(v), &scratch) < 0)
			return nsrun_err_set(err, EINVAL, "%s[%zu].%s: not an address/prefix", key,
					     i, need);
		if (o && (!json_is_string(o) || parse_opt(json_string_value(o), &scratch) < 0))
			return nsrun_err_set(err, EINVAL, "%s[%zu].%s: not an address", key, i,
					     opt);
	}
	return 0;
}

static int parse_cidr_cb(const char *s, void *out)
{
	return parse_cidr(s, out);
}

static int parse_ip_cb(const char *s, void *out)
{
	return parse_ip(s, out);
}

static int parse_any_string(const char *s, void *out)
{
	(void)s;
	(void)out;
	return 0;
}

int nsrun_cni_result_check(const json_t *result, const char *version, struct nsrun_err *err)
{
	const json_t *ips = json_object_get(result, "ips"), *e, *dns;
	size_t nif, i;
	const char *v;
	char buf[48];
	int r;

	if (!json_is_object(result))
		return nsrun_err_set(err, EINVAL, "not a JSON object");
	v = opt_string(result, "cniVersion");
	if (!v)
		return nsrun_err_set(err, EINVAL, "cniVersion: missing or not a string");
	if (strcmp(v, version))
		return nsrun_err_set(err, EPROTO, "cniVersion \"%s\", not the %s asked for",
				     shown(v, buf), version);
	r = check_entries(result, "interfaces", "name", NULL, "sandbox", parse_any_string, err);
	if (r == 0)
		r = check_entries(result, "interfaces", "name", NULL, "mac", parse_any_string, err);
	if (r == 0)
		r = check_entries(result, "ips", "address", parse_cidr_cb, "gateway", parse_ip_cb,
				  err);
	if (r == 0)
		r = check_entries(result, "routes", "dst", parse_cidr_cb, "gw", parse_ip_cb, err);
	if (r < 0)
		return r;
	nif = json_array_size(json_object_get(result, "interfaces"));
	json_array_foreach (ips, i, e) {
		const json_t *idx = json_object_get(e, "interface");

		if (idx && (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
			    (size_t)json_integer_value(idx) >= nif))
			return nsrun_err_set(err, EINVAL,
					     "ips[%zu].interface: not an index of interfaces", i);
	}
	dns = json_object_get(result, "dns");
	if (dns && !json_is_object(dns))
		return nsrun_err_set(err, EINVAL, "dns: not an object");
	return 0;
}

int nsrun_cni_result_parse(const char *out, size_t len, const char *version, json_t **result,
			   struct nsrun_err *err)
{
	json_t *r = load(out, len, "result", err);

	*result = NULL;
	if (!r)
		return -err->code;
	if (nsrun_cni_result_check(r, version, err) < 0) {
		json_decref(r);
		return nsrun_err_ctx(err, "result");
	}
	*result = r;
	return 0;
}

/* Control characters become spaces: the message stays on one line. */
static void copy_line(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i] < ' ' || src[i] == 0x7f ? ' ' : src[i];
	dst[i] = '\0';
}

int nsrun_cni_error_parse(const char *out, size_t len, struct nsrun_cni_error *e)
{
	struct nsrun_err ignored;
	json_t *root = load(out, len, "error", &ignored);
	const json_t *code;

	memset(e, 0, sizeof(*e));
	if (!root)
		return -EINVAL;
	code = json_object_get(root, "code");
	if (!json_is_integer(code) || !json_is_string(json_object_get(root, "msg"))) {
		json_decref(root);
		return -EINVAL;
	}
	e->code = json_integer_value(code);
	copy_line(e->msg, sizeof(e->msg), opt_string(root, "msg"));
	copy_line(e->details, sizeof(e->details), opt_string(root, "details"));
	json_decref(root);
	return 0;
}

static bool has_sandbox(const json_t *iface)
{
	const char *s = opt_string(iface, "sandbox");

	return s && *s;
}

static int sandbox_index(const json_t *ifs, const char *ifname)
{
	const json_t *e;
	size_t i;
	int any = -1;

	json_array_foreach (ifs, i, e) {
		if (!has_sandbox(e))
			continue;
		if (ifname && !strcmp(opt_string(e, "name") ? opt_string(e, "name") : "", ifname))
			return (int)i;
		if (any < 0)
			any = (int)i;
	}
	return any;
}

/* The first address of family f on interface sb, or naming no interface. */
static bool pick_addr(const json_t *result, int f, int sb, struct nsrun_cni_env *env)
{
	const json_t *e;
	size_t i;

	json_array_foreach (json_object_get(result, "ips"), i, e) {
		const json_t *idx = json_object_get(e, "interface");
		const char *gw = opt_string(e, "gateway");
		struct nsrun_prefix p;

		if (json_is_integer(idx) && json_integer_value(idx) != sb)
			continue;
		if (!opt_string(e, "address") || parse_cidr(opt_string(e, "address"), &p) < 0 ||
		    p.addr.family != f)
			continue;
		env->has_addr = true;
		env->addr = p;
		env->has_gateway =
			gw && parse_ip(gw, &env->gateway) == 0 && env->gateway.family == f;
		return true;
	}
	return false;
}

void nsrun_cni_result_env(const json_t *result, const char *ifname, struct nsrun_cni_env *env)
{
	const json_t *ifs = json_object_get(result, "interfaces"), *e;
	int sb = sandbox_index(ifs, ifname);
	size_t i;

	memset(env, 0, sizeof(*env));
	json_array_foreach (ifs, i, e) {
		const char *name = opt_string(e, "name");

		if (!has_sandbox(e) && name && strlen(name) < IFNAMSIZ)
			snprintf(env->host_ifname, sizeof(env->host_ifname), "%s", name);
	}
	if (!pick_addr(result, AF_INET, sb, env) && !pick_addr(result, AF_INET6, sb, env))
		return;
	json_array_foreach (json_object_get(result, "routes"), i, e) {
		struct nsrun_prefix dst;

		if (env->has_gateway)
			break;
		if (!opt_string(e, "dst") || !opt_string(e, "gw") ||
		    parse_cidr(opt_string(e, "dst"), &dst) < 0 || dst.len != 0 ||
		    dst.addr.family != env->addr.addr.family)
			continue;
		env->has_gateway = parse_ip(opt_string(e, "gw"), &env->gateway) == 0 &&
				   env->gateway.family == dst.addr.family;
	}
}

/* ---- the cache ------------------------------------------------------------------------ */

char *nsrun_cni_cache_format(const struct nsrun_cni_cache *c)
{
	json_t *o = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:s?, s:O?, s:s, s:s, s:I, s:I, s:I, "
		"s:I, s:I, s:O, s:O?}",
		"nsrun_cni_cache", NSRUN_CNI_CACHE_VERSION, "id", c->id, "network", c->conf.name,
		"file", c->conf.file, "cni_version", nsrun_cni_versions[c->version], "ifname",
		c->ifname, "args", c->args, "capability_args", c->caps, "cni_path", c->cni_path,
		"netns", c->netns, "netns_dev", (json_int_t)c->netns_dev, "netns_ino",
		(json_int_t)c->netns_ino, "pid", (json_int_t)c->pid, "start", (json_int_t)c->start,
		"created", (json_int_t)c->created, "config", c->conf.list, "result", c->result);
	char *text, *line = NULL;

	if (!o)
		return NULL;
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

int nsrun_cni_cache_parse(const char *data, size_t len, const char *file, struct nsrun_cni_cache *c,
			  struct nsrun_err *err)
{
	const char *id, *network, *conf_file, *version, *ifname, *path, *netns, *why;
	json_int_t ver, dev, ino, pid, start, created;
	json_t *root = load(data, len, file, err), *args, *caps, *config, *result;
	char want[sizeof(c->netns)];
	json_error_t e;
	int r = -EINVAL;

	memset(c, 0, sizeof(*c));
	if (!root)
		return -err->code;
	if (json_unpack_ex(root, &e, 0, "{s:I}", "nsrun_cni_cache", &ver) < 0 ||
	    ver != NSRUN_CNI_CACHE_VERSION) {
		nsrun_err_set(err, EINVAL, "%s: not an nsrun CNI cache of version %d", file,
			      NSRUN_CNI_CACHE_VERSION);
		goto out;
	}
	if (json_unpack_ex(root, &e, 0,
			   "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:I, s:I, s:I, s:I, "
			   "s:I, s:o, s:o !}",
			   "nsrun_cni_cache", &ver, "id", &id, "network", &network, "file",
			   &conf_file, "cni_version", &version, "ifname", &ifname, "args", &args,
			   "capability_args", &caps, "cni_path", &path, "netns", &netns,
			   "netns_dev", &dev, "netns_ino", &ino, "pid", &pid, "start", &start,
			   "created", &created, "config", &config, "result", &result) < 0) {
		nsrun_err_set(err, EINVAL, "%s: %s", file, e.text);
		goto out;
	}
	why = nsrun_cni_id_invalid(id);
	if (!why && !json_is_null(args) &&
	    (!json_is_string(args) || nsrun_cni_args_invalid(json_string_value(args))))
		why = "args: not a valid CNI_ARGS string or null";
	if (!why && !json_is_null(caps) && !json_is_object(caps))
		why = "capability_args: not an object or null";
	if (!why && (nsrun_cni_version_index(version) < 0))
		why = "cni_version: not a version nsrun speaks";
	if (!why && nsrun_ifname_invalid(ifname))
		why = "ifname: not an interface name";
	if (!why && !*path)
		why = "cni_path: empty";
	snprintf(want, sizeof(want), "/run/netns/" NSRUN_CNI_NETNS_PREFIX "%s", id);
	if (!why && strcmp(netns, want))
		why = "netns: not the path of its ID";
	if (!why && (dev < 0 || ino < 0 || pid <= 0 || pid > INT32_MAX || start < 0))
		why = "netns_dev, netns_ino, pid or start: out of range";
	if (!why && !json_is_null(result) && !json_is_object(result))
		why = "result: not an object or null";
	if (why) {
		nsrun_err_set(err, EINVAL, "%s: %s", file, why);
		goto out;
	}
	r = nsrun_cni_conf_from_json(config, conf_file, &c->conf, err);
	if (r < 0) {
		nsrun_err_ctx(err, "%s: config", file);
		goto out;
	}
	r = -EINVAL;
	if (strcmp(c->conf.name, network)) {
		nsrun_err_set(err, EINVAL, "%s: network: not the name of its config", file);
		goto out;
	}
	c->version = nsrun_cni_version_index(version);
	if (!json_is_null(result) && nsrun_cni_result_check(result, version, err) < 0) {
		nsrun_err_ctx(err, "%s: result", file);
		goto out;
	}
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	snprintf(c->netns, sizeof(c->netns), "%s", netns);
	c->args = json_is_string(args) ? strdup(json_string_value(args)) : NULL;
	c->cni_path = strdup(path);
	if ((json_is_string(args) && !c->args) || !c->cni_path) {
		r = nsrun_err_sys(err, ENOMEM, "%s", file);
		goto out;
	}
	c->caps = json_is_object(caps) ? json_incref(caps) : NULL;
	c->result = json_is_object(result) ? json_incref(result) : NULL;
	c->netns_dev = (uint64_t)dev;
	c->netns_ino = (uint64_t)ino;
	c->pid = (pid_t)pid;
	c->start = (uint64_t)start;
	c->created = (int64_t)created;
	r = 0;
out:
	json_decref(root);
	if (r < 0)
		nsrun_cni_cache_free(c);
	return r;
}

void nsrun_cni_cache_free(struct nsrun_cni_cache *c)
{
	nsrun_cni_conf_free(&c->conf);
	json_decref(c->caps);
	json_decref(c->result);
	free(c->args);
	free(c->cni_path);
	memset(c, 0, sizeof(*c));
}
