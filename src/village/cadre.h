/* cadre.h - the cadre registry: 派出单位 (units that send cadres) and the
 * cadres they send (驻村干部, 帮扶干部), people who are not members of the
 * village's branch.  docs/VILLAGE.md.
 *
 * A cadre's ID number and phone are kept exactly as a member's: checked
 * by the member record's checks (member/member.h zb_member_check, birth
 * date and gender derived from the ID number), encrypted and bound to
 * "cadres/<id>/<field>" (crypto/fieldprot.h), masked for callers without
 * member.sensitive, and found by blind index (one record per person).  A
 * unit's contact phone likewise, bound to "dispatch_units/<id>/contact_phone".
 *
 * Both are kept by an org (org_id: usually the county, or a township):
 * whoever holds member.read there reads them, member.write adds them.
 * Every write is one transaction with its audit row.  who NULL (the demo,
 * the command line): no scope check on the unit or account named. */
#ifndef ZB_VILLAGE_CADRE_H
#define ZB_VILLAGE_CADRE_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

struct zb_keys;

/* ---- 派出单位 ---- */

typedef struct zb_dunit_input {
	int64_t org_id;                  /* the org that keeps the unit */
	const char *name;
	const char *contact_name;        /* NULL: none */
	const char *contact_phone;       /* plaintext; NULL: none */
} zb_dunit_input;

typedef struct zb_dunit {
	int64_t id, org_id;
	const char *org_path, *org_name, *name, *contact_name;
	const char *contact_phone;       /* plaintext after zb_dunit_reveal, else NULL */
	const char *phone_enc, *phone_masked;
	int64_t cadres;                  /* cadres on record from the unit */
	int64_t created_at, updated_at;
} zb_dunit;

/* A new unit at in->org_id (who: member.write there, else ZB_ENOTFOUND on
 * org_id); the name unique within the org ("dunit.create" audit row). */
int zb_dunit_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_dunit_input *in,
                    zb_arena *ar, int64_t *id, zb_err *e);
/* Change unit id: fields of in that are NULL stay (org_id is not read;
 * contact_phone "" removes it), checked as on create ("dunit.update"). */
int zb_dunit_update(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const zb_dunit_input *in, zb_arena *ar,
                    zb_err *e);
int zb_dunit_get(zb_db *db, int64_t id, zb_arena *ar, zb_dunit *u, zb_err *e);
int zb_dunit_reveal(zb_dunit *u, const struct zb_keys *k, zb_arena *ar, zb_err *e);
/* The units kept at path or below, by name, at most limit after id after
 * (one more than limit when there is a next page). */
int zb_dunit_list(zb_db *db, const char *path, int64_t after, int64_t limit, zb_arena *ar, zb_dunit **out, int *n,
                  zb_err *e);

/* ---- cadres ---- */

typedef struct zb_cadre_input {
	int64_t org_id;                  /* the org that keeps the record */
	int64_t unit_id;                 /* 派出单位; 0: none */
	int64_t user_id;                 /* the account the cadre logs in with; 0: none */
	const char *name;
	const char *gender;              /* M/F or 男/女; derived from the ID number when given */
	const char *id_number;           /* plaintext; NULL: none */
	const char *phone;               /* plaintext; NULL: none */
	const char *post;                /* 职务 in the unit */
} zb_cadre_input;

typedef struct zb_cadre {
	int64_t id, org_id, unit_id, user_id;
	const char *org_path, *org_name, *unit_name;
	const char *name, *pinyin, *gender, *birth_date, *post;
	const char *id_number;           /* plaintext after zb_cadre_reveal, else NULL */
	const char *id_enc, *id_index, *id_masked;
	const char *phone;               /* plaintext after zb_cadre_reveal, else NULL */
	const char *phone_enc, *phone_masked;
	int64_t created_at, updated_at;
} zb_cadre;

/* A new cadre kept at in->org_id (who: member.write there, else
 * ZB_ENOTFOUND on org_id); the unit must be one who may read (field
 * unit_id), the account one not linked to another cadre (field user_id);
 * an ID number already on record for a cadre is refused (field
 * id_number).  "cadre.create" audit row (masked values only). */
int zb_cadre_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_cadre_input *in,
                    zb_arena *ar, int64_t *id, zb_err *e);
/* Change cadre id: fields of in that are NULL stay (org_id and user_id
 * are not read; unit_id only when unit_given, 0 removing it; id_number or
 * phone "" removes it).  A new ID number is checked, derives birth date
 * and gender again and is refused when another cadre has it (field
 * id_number); the kept one keeps them.  "cadre.update" audit row. */
int zb_cadre_update(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                    const zb_cadre_input *in, int unit_given, zb_arena *ar, zb_err *e);
int zb_cadre_get(zb_db *db, int64_t id, zb_arena *ar, zb_cadre *c, zb_err *e);
/* Decrypt id_enc and phone_enc into id_number and phone; ZB_EINTERNAL
 * naming the record and field when a value is not this row's. */
int zb_cadre_reveal(zb_cadre *c, const struct zb_keys *k, zb_arena *ar, zb_err *e);
/* Link cadre id to account user_id (0: unlink), one cadre per account
 * (ZB_ECONFLICT on field user_id); "cadre.link_user" audit row. */
int zb_cadre_link_user(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, int64_t user_id, zb_err *e);
/* The cadre linked to account user_id: 0 and *id, or ZB_ENOTFOUND. */
int zb_cadre_of_user(zb_db *db, int64_t user_id, int64_t *id, zb_err *e);
/* The cadres kept at path or below (unit_id > 0: of that unit only; q:
 * part of the name or pinyin), by id after `after`, at most limit (one
 * more when there is a next page). */
int zb_cadre_list(zb_db *db, const char *path, int64_t unit_id, const char *q, int64_t after, int64_t limit,
                  zb_arena *ar, zb_cadre **out, int *n, zb_err *e);

#endif
