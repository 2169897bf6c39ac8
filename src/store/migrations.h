/* migrations.h - the versioned schema, embedded from
 * src/store/migrations/NNNN_name.sql by tools/embed-sql.sh.
 *
 * One source per version, rendered for each backend at apply time
 * (store/migrate.c): tokens {{ID}} {{INT}} {{BLOB}} {{CTEXT}} {{REAL}} map to
 * each backend's types, and a line starting with `--@sqlite ` or `--@pg `
 * holds a statement for that backend only.  Why one source: the two
 * schemas cannot drift, yet each backend gets its own DDL.
 */
#ifndef ZB_MIGRATIONS_H
#define ZB_MIGRATIONS_H

typedef struct zb_migration {
	int version;
	const char *name;
	const char *sql;
} zb_migration;

extern const zb_migration zb_migrations[];
extern const int zb_migration_count;

#endif
