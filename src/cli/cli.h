/* cli.h - the command table (git's idea: one file per command) and the
 * option parser every command shares. */
#ifndef ZB_CLI_H
#define ZB_CLI_H

#include "app/app.h"

typedef struct zb_opt {
	const char *name;     /* "db" for --db */
	int takes_value;
	const char *env;      /* environment fallback, or NULL */
	const char *value;    /* parsed value (or "1" for flags) */
} zb_opt;

/* Parse argv against opts (NULL-name terminated).  Positional arguments
 * are collected into pos (up to maxpos).  Unknown options and missing
 * values print one line to stderr and return -1. */
int zb_cli_parse(int argc, char **argv, zb_opt *opts, const char **pos, int maxpos, int *npos);
const char *zb_cli_get(zb_opt *opts, const char *name);
/* Print "zhibu: <msg>" (with the field if any) and return 1. */
int zb_cli_fail(const zb_err *e);
int zb_cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the app and its database, apply nothing; check schema if asked. */
int zb_cli_open(zb_app *app, zb_opt *opts, int need_keys, int check_schema, zb_db **db);
/* Audit an action done from the command line. */
void zb_cli_audit(zb_app *app, zb_db *db, const char *action, const char *otype, int64_t oid, const char *detail);

typedef struct zb_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
} zb_cmd;

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_openapi(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_key(int argc, char **argv);

/* Hold the key lock until the process ends (cmd_key.c): a flock on the key
 * file at path (NULL: app->key_path) and, on PostgreSQL, an advisory lock
 * of the session, shared by every process using the key (zb_cli_open with
 * need_keys) and exclusive for `zhibu key rotate`.  ZB_ECONFLICT with a
 * Chinese message when the other kind is held.  A second call is a no-op. */
int zb_key_lock(zb_app *app, zb_db *db, const char *path, int exclusive, zb_err *e);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* Create schema, key file, root org and the admin account (cmd_init.c);
 * shared with `zhibu demo`.  quiet 0 prints where things are and the
 * generated admin password. */
int zb_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, int quiet, zb_err *e);
int cmd_check(int argc, char **argv);

extern const zb_cmd zb_commands[];

#endif
