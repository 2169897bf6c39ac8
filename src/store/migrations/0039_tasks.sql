-- 0039: 工作任务 and 通知公告 down the org tree.  Model, completion and
-- roll-up: docs/TASKS.md.

-- A task an org issues to orgs below it.  kind says what completes it:
-- reply (text, with photos or PDFs), form (the fields of form_fields
-- filled in), meeting (a meeting of link_type held from link_from to
-- link_to by the target or an org below it), disclosure (a 三务公开 item
-- of kind link_type for period link_period, published), dues (payments
-- recorded for the month link_period by members of the target).
-- parent_id: the task this one passes down (a forward), NULL for one
-- issued first hand; root_id: the first task of the chain (itself for
-- one issued first hand).  targets: the targets as asked for (JSON),
-- resolved into task_targets when issued.  title_norm: the title without
-- spaces and punctuation, for the duplicate check.
CREATE TABLE tasks (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	parent_id {{INT}} REFERENCES tasks(id),
	root_id {{INT}},
	title TEXT NOT NULL,
	title_norm TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	due_on TEXT NOT NULL,
	kind TEXT NOT NULL,
	form_fields TEXT NOT NULL DEFAULT '[]',
	link_type TEXT,
	link_from TEXT,
	link_to TEXT,
	link_period TEXT,
	targets TEXT NOT NULL DEFAULT '{}',
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX tasks_org ON tasks(org_path, id);
CREATE INDEX tasks_parent ON tasks(parent_id);

-- One org a task was issued to.  forward_id: the task this org passed it
-- down as (its completion is then its targets'); replied_on/at, reply,
-- form_values: the answer of a reply or form task (NULL until given);
-- reminded_on: the last day the issuer (or one above) reminded it.
CREATE TABLE task_targets (
	id {{ID}},
	task_id {{INT}} NOT NULL REFERENCES tasks(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	forward_id {{INT}} REFERENCES tasks(id),
	replied_on TEXT,
	replied_at {{INT}},
	replied_by {{INT}},
	reply TEXT,
	form_values TEXT,
	reminded_on TEXT,
	UNIQUE (task_id, org_id)
);
CREATE INDEX task_targets_org ON task_targets(org_id, task_id);
CREATE INDEX task_targets_path ON task_targets(org_path);

-- Photos and PDFs of a reply (stored as meeting/attach.h stores them).
CREATE TABLE task_files (
	id {{ID}},
	target_id {{INT}} NOT NULL REFERENCES task_targets(id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	size {{INT}} NOT NULL,
	sm3 TEXT NOT NULL,
	stored_name TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX task_files_target ON task_files(target_id, id);

-- Reminders sent: at most one a day per task.  pending: the targets not
-- done when it was sent.
CREATE TABLE task_reminders (
	id {{ID}},
	task_id {{INT}} NOT NULL REFERENCES tasks(id),
	sent_on TEXT NOT NULL,
	pending {{INT}} NOT NULL,
	sent_by {{INT}},
	sent_at {{INT}} NOT NULL,
	UNIQUE (task_id, sent_on)
);

-- A notice to the accounts under an org: every account with a business
-- role granted in the subtree or linked to a member of it; types (JSON
-- array of org type codes, [] for all) narrows it to the accounts at
-- orgs of those types.
CREATE TABLE notices (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	types TEXT NOT NULL DEFAULT '[]',
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX notices_org ON notices(org_path, id);

-- Read receipts: who opened a notice, first time.
CREATE TABLE notice_reads (
	notice_id {{INT}} NOT NULL REFERENCES notices(id),
	user_id {{INT}} NOT NULL REFERENCES users(id),
	read_at {{INT}} NOT NULL,
	PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_reads_user ON notice_reads(user_id);

-- Photos and PDFs of a notice (optional), stored as meeting/attach.h
-- stores files; seen by whoever may read the notice.
CREATE TABLE notice_files (
	id {{ID}},
	notice_id {{INT}} NOT NULL REFERENCES notices(id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	size {{INT}} NOT NULL,
	sm3 TEXT NOT NULL,
	stored_name TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX notice_files_notice ON notice_files(notice_id, id);
