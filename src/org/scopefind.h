/* scopefind.h - the org path an object lies under: the subtree that
 * decides who may touch it (the dispatcher's scope check, and handlers
 * that check an object named in a body). */
#ifndef ZB_ORG_SCOPEFIND_H
#define ZB_ORG_SCOPEFIND_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef enum zb_obj {
	ZB_OBJ_ORG,        /* the org itself */
	ZB_OBJ_MEMBER,     /* the member's org */
	ZB_OBJ_MEETING,    /* the meeting's org */
	ZB_OBJ_IMPORT,     /* an import batch: the org it imports into */
	ZB_OBJ_GRANT,      /* a role grant: the org it is granted at */
	ZB_OBJ_POST,       /* a committee post: its committee's org */
	ZB_OBJ_UNIT,       /* a unit: where it is located */
	ZB_OBJ_ALLIANCE,   /* an alliance: its lead org */
	ZB_OBJ_ATTACHMENT, /* a meeting attachment: the meeting's org */
	ZB_OBJ_USER,       /* an account: where its first grant is (the
	                    * shortest path, then the oldest grant); an
	                    * account without grants: the root */
	ZB_OBJ_TRANSFER,   /* a transfer: its sending branch (the receiving
	                    * one for a transfer in from outside) */
	ZB_OBJ_TRANSFER_TO, /* a transfer: its receiving branch (the sending
	                    * one for a transfer out of the platform) */
	ZB_OBJ_DUES_PAYMENT,   /* a dues payment: its member's org */
	ZB_OBJ_DUES_REDUCTION, /* a dues reduction: its member's org */
	ZB_OBJ_APPLICANT,  /* a person in the 发展党员 pipeline: their branch */
	ZB_OBJ_RESERVE,    /* a person in a village's reserve pool: the village */
	ZB_OBJ_DUNIT,      /* a 派出单位: the org that keeps it */
	ZB_OBJ_CADRE,      /* a cadre: the org that keeps the record */
	ZB_OBJ_VTEAM,      /* a 驻村工作队: its village */
	ZB_OBJ_VPOSTING,   /* a 驻村 posting: its village */
	ZB_OBJ_VLEAVE,     /* a 驻村 absence: its village */
	ZB_OBJ_DISCLOSURE, /* a 三务公开 item: its village */
	ZB_OBJ_AID_HOUSEHOLD, /* a household to help: its village org */
	ZB_OBJ_AID_PAIR,   /* a helper pairing: its household's village org */
	ZB_OBJ_AID_AREA,   /* a 责任区: its village org */
	ZB_OBJ_AID_VISIT,  /* a visit to a household: its village org */
	ZB_OBJ_AID_PHOTO,  /* a photo of a visit: its household's village org */
	ZB_OBJ_VFILE,      /* a file of a 驻村工作队's log: its village */
	ZB_OBJ_STUDY_SESSION, /* a 集中学习/远程教育/external study record: its org */
	ZB_OBJ_COURSE,     /* a course: the org that published it */
	ZB_OBJ_TASK,       /* a 工作任务: the org that issued it */
	ZB_OBJ_TASK_TARGET, /* an org a task was issued to: that org */
	ZB_OBJ_TASK_FILE,  /* a file of a task's reply: the target's org */
	ZB_OBJ_NOTICE,     /* a 通知公告: the org that issued it */
	ZB_OBJ_WEAK_LISTING, /* a 软弱涣散 listing: its branch */
	ZB_OBJ_WEAK_MEASURE, /* a measure of a 整顿 plan: its branch */
	ZB_OBJ_WEAK_PROGRESS, /* a progress entry of a 整顿 plan: its branch */
	ZB_OBJ_POINTS_ITEM, /* a manual points item (积分制): its branch */
	ZB_OBJ_DUTY_REPORT, /* a secretary's 述职: the org of the post */
	ZB_OBJ_DUTY_FILE,  /* a file of a 述职: the report's org */
	ZB_OBJ_VREVIEW,    /* an evaluation of a 驻村工作队: its village */
	ZB_OBJ_MAX
} zb_obj;

/* *path (arena) = the org path of object id of kind.  ZB_ENOTFOUND, with
 * the message of an object outside the caller's scope, when there is no
 * such object (or no path). */
int zb_obj_path(zb_db *db, zb_obj kind, int64_t id, zb_arena *a, const char **path, zb_err *e);

#endif
