/* static.c - serve the built web app from app->web_root.
 *
 * No directory listings; the resolved real path must stay under the root
 * (no traversal through .. or symlinks); unknown paths without a file
 * extension get index.html (client-side routes).  Hashed assets under
 * /assets/ are immutable; index.html and the service worker are never
 * cached so a deploy takes effect at once.
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

static int read_file(zb_req *r, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > MAX_STATIC) {
		close(fd);
		return -1;
	}
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
	if (!realpath(want, real) || strncmp(real, root, rl) || (real[rl] != '/' && real[rl] != '\0') ||
	    read_file(r, real)) {
		not_found(r);
		return;
	}
	r->status = 200;
	r->content_type = type;
	if (!strncmp(path, "/assets/", 8))
		r->cache_control = "public, max-age=31536000, immutable";
	else
		r->cache_control = "no-cache";
}
