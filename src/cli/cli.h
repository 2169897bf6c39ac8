/* cli.h - the command table (git's idea: one file per command) and the
 * option parser every command shares. */
#ifndef ZB_CLI_H
#define ZB_CLI_H

#include "app/app.h"
#include "org/org.h"

typedef struct zb_opt {
	const char *name;     /* "db" for --db */
	int takes_value;
	const char *env;      /* environment fallback, or NULL */
	const char *value;    /* parsed value (or "1" for flags) */
} zb_opt;

/* Parse argv against opts (NULL-name terminated).  Positional arguments
 * are collected into pos (up to maxpos).  "-o" stands for "--output" where
 * opts has that option.  Unknown options and missing values print one line
 * to stderr and return -1. */
int zb_cli_parse(int argc, char **argv, zb_opt *opts, const char **pos, int maxpos, int *npos);
const char *zb_cli_get(zb_opt *opts, const char *name);
/* Print "zhibu: <msg>" (with the field if any) and return 1. */
int zb_cli_fail(const zb_err *e);
int zb_cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the app (--db, --key-file) and its database, apply nothing; check
 * the schema if asked; with need_keys load the key file, take the key lock
 * shared and check the key against the database.  On failure the message
 * is printed, app is released and 1 returned; on success the caller
 * releases app. */
int zb_cli_open(zb_app *app, zb_opt *opts, int need_keys, int check_schema, zb_db **db);
/* settings.value for key into out ("" when absent); 0 or a zb_code. */
int zb_cli_setting(zb_db *db, const char *key, char *out, size_t n, zb_err *e);
/* Who acts from the command line, as audited: "cli:<login name>". */
void zb_cli_actor(char *out, size_t n);
/* Audit an action done from the command line (a failure is logged). */
void zb_cli_audit(zb_app *app, zb_db *db, const char *action, const char *otype, int64_t oid, const char *detail);
/* A progress bar on stderr when it is a terminal (zb_import_opts and
 * zb_export_opts progress callback). */
void zb_cli_progress(void *ctx, const char *what, size_t done, size_t total);
/* --org CODE: an org code, or a numeric id; ZB_ENOTFOUND names it. */
int zb_cli_find_org(zb_db *db, const char *s, zb_arena *a, zb_org *o, zb_err *e);
/* zb_init_db (app/init.h) as the command-line user; unless quiet, prints
 * where the database and key file are and the generated admin password.
 * Shared by `zhibu init` and `zhibu demo`. */
int zb_cli_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, int quiet, zb_err *e);

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
int cmd_report(int argc, char **argv);
int cmd_key(int argc, char **argv);

/* Hold the key lock until the process ends (cmd_key.c): a flock on the key
 * file at path (NULL: app->key_path) and, on PostgreSQL, an advisory lock
 * of the session, shared by every process using the key (zb_cli_open with
 * need_keys) and exclusive for `zhibu key rotate`.  ZB_ECONFLICT with a
 * Chinese message when the other kind is held.  A second call is a no-op. */
int zb_key_lock(zb_app *app, zb_db *db, const char *path, int exclusive, zb_err *e);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

int cmd_check(int argc, char **argv);

extern const zb_cmd zb_commands[];

#endif
