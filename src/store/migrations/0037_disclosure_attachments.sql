-- 0037: attachments of 三务公开 items (photos and PDFs: scanned receipts,
-- the board photographed).  The files live in the platform's attachment
-- store (meeting/attach.h: type by content, random stored name); this
-- table says which item each belongs to and its caption.  Model and the
-- approval rule: docs/DISCLOSURE.md, "Attachments".

-- One file of an item.  kind: jpeg, png or pdf (decided from the content);
-- filename: the uploaded name, for display only; caption: what it shows,
-- shown on the public page; sm3: the content's digest.  Added and removed
-- only while the item is a draft.
CREATE TABLE disclosure_attachments (
	id {{ID}},
	disclosure_id {{INT}} NOT NULL REFERENCES disclosures(id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	caption TEXT NOT NULL,
	size {{INT}} NOT NULL,
	sm3 TEXT NOT NULL,
	stored_name TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX disclosure_attachments_item ON disclosure_attachments(disclosure_id, id);

-- The branch's approval of an item with attachments confirms that they
-- were checked by eye for ID and mobile numbers (a file cannot be searched
-- the way text is): 1 on that step of the history.
ALTER TABLE disclosure_steps ADD COLUMN attachments_checked {{INT}} NOT NULL DEFAULT 0;
