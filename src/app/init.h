/* init.h - a new installation: the schema, the key file, the root org and
 * the first administrator, in one go.  Used by `zhibu init` and by
 * `zhibu demo`, which starts from the same state; printing what was made
 * is the caller's business.
 */
#ifndef ZB_APP_INIT_H
#define ZB_APP_INIT_H

#include <stdint.h>

#include "app/app.h"

typedef struct zb_init_result {
	int64_t root_id;        /* the root org */
	int64_t admin_id;       /* the account "admin" (org_admin at the root) */
	char admin_password[17]; /* generated, shown once; "" when the password
				  * came from ZHIBU_ADMIN_PASSWORD */
} zb_init_result;

/* Apply the migrations, refuse a database that holds a key fingerprint
 * already (ZB_ECONFLICT), create the key file at app->key_path unless it
 * exists, load it, then in one write transaction: the fingerprint, the root
 * org (root_name, root_code may be NULL), the admin account with its grant
 * and the audit row "system.init" by actor (e.g. "cli:alice").  The admin
 * password is ZHIBU_ADMIN_PASSWORD when set (checked against the password
 * policy), else generated.  Nothing of the transaction is left on failure. */
int zb_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, const char *actor,
               zb_init_result *out, zb_err *e);

#endif
