/* fuzz_request.c - the request path: routing, body caps, JSON parsing and
 * shape checks, scope resolution and handlers, on an in-memory database.
 *
 * Input: first line "METHOD /path", the rest is the body.  Every other
 * request runs as the administrator (preset principal), so handlers are
 * reached, not only the 401 path.
 */
#include "api/api.h"
#include "auth/authz.h"
#include "crypto/fieldprot.h"
#include "http/http.h"
#include "org/org.h"
#include "org/structure.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zb_app app;
static int ready;

static void setup(void)
{
	zb_err e = {0};
	zb_api_register();
	setenv("ZHIBU_ADMIN_PASSWORD", "Fuzz-Passw0rd-1", 1);
	if (zb_app_init(&app, "file:fuzz?mode=memory&cache=shared", NULL, &e))
		abort();
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)i;
	if (zb_keys_from_master(master, sizeof master, &app.keys, &e))
		abort();
	zb_db *db;
	if (zb_app_db(&app, &db, &e))
		abort();
	int n;
	if (zb_db_migrate(db, &n, &e))
		abort();
	char fp[65];
	zb_fp_key_fingerprint(app.keys, fp);
	zb_db_run(db, &e, NULL, "INSERT INTO settings (key, value) VALUES ('key_fingerprint', ?)", "s", fp);
	zb_org o = {.name = "根", .type = "committee"};
	int64_t id;
	zb_db_begin_write(db, &e);
	zb_org_insert(db, 1, 0, &o, &id, &e);
	zb_db_run(db, &e, NULL,
	          "INSERT INTO users (username, display_name, pw_hash, created_at, updated_at) VALUES ('admin','a','x',1,1)", "");
	zb_db_run(db, &e, NULL, "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (1, 'org_admin', 1, 1)", "");
	zb_db_commit(db, &e);
	ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		setup();
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) : size;
	const uint8_t *sp = memchr(data, ' ', head);
	if (!sp || head > 600)
		return 0;
	zb_req r;
	memset(&r, 0, sizeof r);
	zb_arena_init(&r.arena);
	r.app = &app;
	r.method = zb_arena_strndup(&r.arena, (const char *)data, (size_t)(sp - data));
	r.path = zb_arena_strndup(&r.arena, (const char *)sp + 1, head - (size_t)(sp - data) - 1);
	r.ip = "127.0.0.1";
	zb_buf_init(&r.body, 24u << 20);
	zb_buf_init(&r.out, 64u << 20);
	if (nl)
		zb_buf_append(&r.body, nl + 1, size - head - 1);
	if (size % 2) {
		zb_db *db;
		zb_err e = {0};
		if (!zb_app_db(&app, &db, &e))
			zb_principal_load(db, 1, &r.arena, &r.who, &e);
	}
	zb_dispatch(&r);
	if (r.status < 200 || r.status > 599)
		abort();
	zb_buf_release(&r.body);
	zb_buf_release(&r.out);
	zb_arena_free(&r.arena);
	return 0;
}
