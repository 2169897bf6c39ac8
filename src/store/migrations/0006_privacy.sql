-- 0006: masked ID numbers keep no characters (docs/SECURITY.md, "What each
-- role can see"), and the per-user budget of ID-number lookups.

-- The old masks kept the region and the last four characters; together
-- with the birth date shown beside them they narrowed a number to a few
-- hundred candidates.  Every stored ID number has 18 characters.
UPDATE members SET id_masked = '******************' WHERE id_masked IS NOT NULL;

-- ID-number lookups whose answer says something about records the caller
-- cannot see: a search by a whole ID number, a create, edit or import row
-- refused because the number is already registered (counted per user over
-- the last hour), and the rows of uploaded rosters, each checked against
-- the whole register (counted per user over the last day).  Rows older
-- than a day are deleted as new ones are added.  The numbers themselves
-- are never stored.
CREATE TABLE id_lookups (
	id {{ID}},
	user_id {{INT}} NOT NULL,
	at {{INT}} NOT NULL,
	kind TEXT NOT NULL,                     -- search, create, update, import, import_rows
	n {{INT}} NOT NULL DEFAULT 1
);
CREATE INDEX id_lookups_user ON id_lookups(user_id, at);
CREATE INDEX id_lookups_at ON id_lookups(at);
