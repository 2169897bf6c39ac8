/* ready.h - whether this node can serve requests (GET /api/v1/ready). */
#ifndef ZB_APP_READY_H
#define ZB_APP_READY_H

#include "app/app.h"

typedef struct zb_ready {
	int schema_version;     /* when ready */
	const char *check;      /* when not: "database", "schema" or "key" */
	const char *what;       /* when not: what that check found, Chinese */
} zb_ready;

/* Open this thread's connection into *db and check, in order: the
 * database answers, its schema is the one this program expects, and the
 * key file matches the key fingerprint the database holds.  The first
 * that fails fills out->check and out->what and returns ZB_EUNAVAIL, the
 * message of e saying why. */
int zb_app_ready(zb_app *app, zb_db **db, zb_ready *out, zb_err *e);

#endif
