/* form.c - multipart/form-data bodies of R_FORM routes.
 *
 * The body is already in r->body (within the route's cap); libmicrohttpd's
 * post processor splits it into parts.  A part is reported as one or more
 * calls of the iterator with a running offset that starts at 0 for each
 * new part. */
#include "http/http.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#define FORM_BUFFER (64u * 1024)

typedef struct form_ctx {
	zb_req *r;
	zb_err *e;
	int rc;
	zb_buf json;
	int json_parts;
	int cur;           /* index of the file being read, -1 before the first */
	int in_json;       /* the last call was for the json part */
	size_t file_max;
} form_ctx;

static enum MHD_Result stop(form_ctx *c, int rc)
{
	c->rc = rc;
	return MHD_NO;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
	(void)kind, (void)content_type, (void)transfer_encoding;
	form_ctx *c = cls;
	zb_req *r = c->r;
	if (!key)
		return stop(c, zb_fail(c->e, ZB_EINVAL, NULL, "表单中有没有名称的部分"));
	if (!filename) {
		if (strcmp(key, "json"))
			return stop(c, zb_fail(c->e, ZB_EINVAL, NULL, "表单中有无法识别的部分「%.40s」（应为 json 和 file）", key));
		if (off == 0 && (!c->in_json || c->json.len) && ++c->json_parts > 1)
			return stop(c, zb_fail(c->e, ZB_EINVAL, NULL, "表单中有多个 json 部分"));
		c->in_json = 1;
		if (size && zb_buf_append(&c->json, data, size))
			return stop(c, zb_fail(c->e, ZB_ETOOBIG, NULL, "表单的 json 部分过大（上限 %u KB）",
			                       ZB_FORM_JSON_MAX / 1024));
		return MHD_YES;
	}
	c->in_json = 0;
	if (strcmp(key, "file"))
		return stop(c, zb_fail(c->e, ZB_EINVAL, NULL, "表单中有无法识别的文件「%.40s」（文件部分应名为 file）", key));
	if (off == 0 && (c->cur < 0 || r->files[c->cur].data.len > 0 ||
	                 strcmp(r->files[c->cur].filename, filename))) {
		/* a new file (an empty one followed by one of the same name
		 * reads as one: the empty file is then not seen) */
		if (r->nfiles >= ZB_FORM_MAX_FILES)
			return stop(c, zb_fail(c->e, ZB_ETOOBIG, NULL, "一次最多上传 %d 个文件", ZB_FORM_MAX_FILES));
		c->cur = r->nfiles++;
		zb_part *p = &r->files[c->cur];
		p->filename = zb_arena_strdup(&r->arena, filename);
		zb_buf_init(&p->data, c->file_max);
	}
	if (c->cur < 0)
		return stop(c, zb_fail(c->e, ZB_EINVAL, NULL, "表单格式错误"));
	if (size && zb_buf_append(&r->files[c->cur].data, data, size))
		return stop(c, zb_fail(c->e, ZB_ETOOBIG, NULL, "第 %d 个文件过大", c->cur + 1));
	return MHD_YES;
}

int zb_req_is_form(zb_req *r)
{
	const char *ct = zb_req_header(r, "Content-Type");
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "multipart/form-data", 19) && (ct[19] == ';' || ct[19] == ' ' || !ct[19]);
}

int zb_form_read(zb_req *r, zb_err *e)
{
	if (!r->conn)
		return zb_fail(e, ZB_EINVAL, NULL, "此处不支持表单格式的请求体");
	form_ctx c = {.r = r, .e = e, .cur = -1, .file_max = zb_route_max_body(r->route)};
	zb_buf_init(&c.json, ZB_FORM_JSON_MAX);
	r->files = zb_arena_alloc(&r->arena, sizeof *r->files * ZB_FORM_MAX_FILES);
	r->nfiles = 0;
	struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, FORM_BUFFER, on_part, &c);
	if (!pp) {
		zb_buf_release(&c.json);
		return zb_fail(e, ZB_EINVAL, NULL, "表单格式错误（缺少 boundary）");
	}
	int ok = MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len) == MHD_YES;
	/* MHD_NO here: the final boundary never came (a truncated body) */
	int complete = MHD_destroy_post_processor(pp) == MHD_YES;
	int rc = c.rc;
	if (!rc && (!ok || !complete))
		rc = zb_fail(e, ZB_EINVAL, NULL, "表单格式错误或内容不完整，请重新提交");
	if (!rc && c.json_parts != 1)
		rc = zb_fail(e, ZB_EINVAL, "json", "表单缺少 json 部分");
	if (rc) {
		zb_buf_release(&c.json);
		return rc;
	}
	/* the files are copied out: the JSON part becomes the body */
	zb_buf_release(&r->body);
	r->body = c.json;
	return 0;
}

void zb_form_free(zb_req *r)
{
	for (int i = 0; i < r->nfiles; i++)
		zb_buf_release(&r->files[i].data);
	r->nfiles = 0;
}
