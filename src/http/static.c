/* static.c - serve the built web app from app->web_root.
 *
 * No directory listings; the resolved real path must stay under the root
 * (no traversal through .. or symlinks); unknown paths without a file
 * extension get index.html (client-side routes).  Hashed assets under
 * /assets/ are immutable; index.html and the service worker are never
 * cached so a deploy takes effect at once.
 *
 * Compression: the web build writes FILE.br and FILE.gz beside every text
 * file of 1 KiB or more (web/scripts/compress.mjs).  A GET or HEAD whose
 * Accept-Encoding takes br (or else gzip) gets that file's bytes with
 * Content-Encoding; Content-Length is the compressed size.  Never for a
 * Range request (answered whole and plain), for a file under 1 KiB, or
 * when the compressed file is missing, not a regular file or older than
 * the original.  Every answer of a compressible type says
 * Vary: Accept-Encoding, so caches keep the variants apart.
 */
#include "http/http.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_STATIC (32u << 20)
#define MIN_COMPRESS 1024 /* smaller files are sent as they are */

static const struct {
	const char *ext, *type;
} mime[] = {
	{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
	{".json", "application/json"}, {".webmanifest", "application/manifest+json"},
	{".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
	{".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"},
	{".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}, {".webp", "image/webp"},
};

/* Types worth compressing: text, not images or fonts that are compressed
 * already. */
static int compressible(const char *type)
{
	return !strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
	       !strncmp(type, "application/manifest+json", 25) || !strcmp(type, "image/svg+xml");
}

/* q value of one Accept-Encoding element ("br;q=0.5"): 1000ths. */
static int qvalue(const char *p, const char *end)
{
	const char *semi = memchr(p, ';', (size_t)(end - p));
	if (!semi)
		return 1000;
	for (p = semi + 1; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return 1000;
	p += 2;
	int q = 0, scale = 1000;
	if (p < end && *p == '1')
		return 1000;
	if (p < end && *p == '0')
		p++;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9' && scale > 1; p++)
			q += (*p - '0') * (scale /= 10);
	return q;
}

int zb_accepts_encoding(const char *ae, const char *coding)
{
	if (!ae)
		return 0;
	size_t cl = strlen(coding);
	int star = -1;
	for (const char *p = ae; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		size_t n = 0;
		while (p + n < end && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
			n++;
		if (n == cl && !strncasecmp(p, coding, cl))
			return qvalue(p, end) > 0;
		if (n == 1 && *p == '*')
			star = qvalue(p, end) > 0;
		p = end;
	}
	return star == 1;
}

/* Replace r->out by the precompressed variant of file if the client takes
 * one; sets r->content_encoding.  Silently keeps the plain file otherwise. */
static void pick_encoding(zb_req *r, const char *file, const struct stat *orig)
{
	if (r->conn && zb_req_header(r, "Range"))
		return;
	if (orig->st_size < MIN_COMPRESS)
		return;
	const char *ae = r->conn ? zb_req_header(r, "Accept-Encoding") : NULL;
	static const struct {
		const char *coding, *suffix;
	} variants[] = {{"br", ".br"}, {"gzip", ".gz"}};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		if (!zb_accepts_encoding(ae, variants[i].coding))
			continue;
		char alt[PATH_MAX + 8];
		if ((size_t)snprintf(alt, sizeof alt, "%s%s", file, variants[i].suffix) >= sizeof alt)
			return;
		/* beside the checked original, never through a symlink */
		int fd = open(alt, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		struct stat sb;
		if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_mtime < orig->st_mtime || sb.st_size <= 0 ||
		    sb.st_size >= orig->st_size) {
			close(fd);
			continue;
		}
		zb_buf tmp;
		zb_buf_init(&tmp, MAX_STATIC);
		char chunk[65536];
		ssize_t n;
		int bad = 0;
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (zb_buf_append(&tmp, chunk, (size_t)n)) {
				bad = 1;
				break;
			}
		close(fd);
		if (bad || n < 0 || tmp.len != (size_t)sb.st_size) {
			zb_buf_release(&tmp);
			continue;
		}
		zb_buf_release(&r->out);
		r->out = tmp;
		r->content_encoding = variants[i].coding;
		return;
	}
}

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return NULL;
	for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
		if (!strcasecmp(dot, mime[i].ext))
			return mime[i].type;
	return "application/octet-stream";
}

static void not_found(zb_req *r)
{
	r->status = 404;
	r->content_type = "text/plain; charset=utf-8";
	zb_buf_reset(&r->out);
	zb_buf_puts(&r->out, "404 未找到\n");
}

static int read_file(zb_req *r, const char *file, struct stat *st)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > MAX_STATIC) {
		close(fd);
		return -1;
	}
	*st = sb;
	zb_buf_reset(&r->out);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (zb_buf_append(&r->out, chunk, (size_t)n)) {
			close(fd);
			return -1;
		}
	close(fd);
	return n < 0 ? -1 : 0;
}

int zb_static_head(zb_req *r)
{
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		r->status = 405;
		r->content_type = "text/plain; charset=utf-8";
		zb_buf_puts(&r->out, "405\n");
		return 405;
	}
	if (r->content_length) { /* declared or chunked: web files take no body */
		r->status = 413;
		r->content_type = "text/plain; charset=utf-8";
		zb_buf_puts(&r->out, "413\n");
		return 413;
	}
	return 0;
}

void zb_static_serve(zb_req *r)
{
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		r->status = 405;
		r->content_type = "text/plain; charset=utf-8";
		zb_buf_puts(&r->out, "405\n");
		return;
	}
	char root[PATH_MAX];
	if (!r->app->web_root || !realpath(r->app->web_root, root)) {
		r->status = 503;
		r->content_type = "text/html; charset=utf-8";
		zb_buf_puts(&r->out, "<!doctype html><meta charset=utf-8><title>支部</title>"
		                     "<p>网页端尚未构建：请运行 make web，或用 ZHIBU_WEB_ROOT 指定目录。接口位于 /api/v1/。</p>");
		return;
	}
	const char *path = r->path;
	if (strstr(path, "/.") || strchr(path, '\\') || strlen(path) > 512) {
		not_found(r);
		return;
	}
	const char *type = mime_of(path);
	char want[PATH_MAX + 600];
	if (!type || !strcmp(path, "/")) {
		snprintf(want, sizeof want, "%s/index.html", root);
		type = "text/html; charset=utf-8";
	} else {
		snprintf(want, sizeof want, "%s%s", root, path);
	}
	char real[PATH_MAX];
	size_t rl = strlen(root);
	struct stat sb;
	if (!realpath(want, real) || strncmp(real, root, rl) || (real[rl] != '/' && real[rl] != '\0') ||
	    read_file(r, real, &sb)) {
		not_found(r);
		return;
	}
	r->status = 200;
	r->content_type = type;
	if (compressible(type)) {
		r->vary_encoding = 1;
		pick_encoding(r, real, &sb);
	}
	if (!strncmp(path, "/assets/", 8))
		r->cache_control = "public, max-age=31536000, immutable";
	else
		r->cache_control = "no-cache";
}
