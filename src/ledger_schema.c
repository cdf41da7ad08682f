/*
 * ledger_schema.c - the ledger's tables in the post's store, as numbered
 * migrations (component "ledger").  Version 1 is the first schema; a later
 * change adds a step and never edits one already shipped.
 *
 * Events (append-only, guarded by triggers): attempt, traveller_link,
 * referral, resolution, policy_version.  State kept in step with them in
 * the same transaction: traveller and traveller_key (identity), stay,
 * visa, movement (returns details of exits), por_cancelled, referral_open.
 * Summary tables (daily_summary, returns_summary, returns_daily,
 * refusal_summary, household_day, family_daily, purpose_daily,
 * vulnerability_daily) hold
 * the counts the reports read, so a report over ten million crossings sums
 * a few thousand rows instead of scanning the events; sarhad verify
 * recomputes them from the events and compares.
 */
#include "ledger.h"

const char *const sarhad__ledger_steps[] = {
    "CREATE TABLE policy_version ("
    " number INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " filename TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " published_at INTEGER NOT NULL,"
    " published_by TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL) STRICT;"
    "CREATE TABLE traveller ("
    " id INTEGER PRIMARY KEY,"
    " nationality TEXT NOT NULL,"
    " surname TEXT NOT NULL,"
    " given_names TEXT NOT NULL,"
    " birth_date TEXT NOT NULL,"
    " sex TEXT NOT NULL,"
    " first_attempt INTEGER NOT NULL) STRICT;"
    "CREATE TABLE traveller_key ("
    " kind TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " traveller_id INTEGER NOT NULL,"
    " first_attempt INTEGER NOT NULL,"
    " PRIMARY KEY (kind, value)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX traveller_key_traveller ON traveller_key(traveller_id);"
    "CREATE TABLE traveller_link ("
    " attempt_id INTEGER NOT NULL,"
    " traveller_id INTEGER NOT NULL,"
    " by_kind TEXT NOT NULL,"
    " why TEXT NOT NULL) STRICT;"
    "CREATE INDEX traveller_link_traveller"
    " ON traveller_link(traveller_id);",
    "CREATE TABLE attempt ("
    " id INTEGER PRIMARY KEY,"
    " post TEXT NOT NULL,"
    " crossing TEXT NOT NULL,"
    " counter TEXT NOT NULL,"
    " officer TEXT NOT NULL,"
    " direction TEXT NOT NULL,"
    " time TEXT NOT NULL,"
    " day TEXT NOT NULL,"
    " recorded_at INTEGER NOT NULL,"
    " traveller_id INTEGER NOT NULL,"
    " nationality TEXT NOT NULL,"
    " decision TEXT NOT NULL,"
    " rule TEXT NOT NULL,"
    " policy_name TEXT NOT NULL,"
    " policy_version INTEGER NOT NULL,"
    " overstay_days INTEGER NOT NULL,"
    " fine_usd INTEGER NOT NULL,"
    " visa_key TEXT NOT NULL,"
    " allowed_days INTEGER NOT NULL,"
    " presentation TEXT NOT NULL,"
    " decision_json TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL) STRICT;"
    "CREATE INDEX attempt_traveller ON attempt(traveller_id, id);"
    "CREATE TRIGGER attempt_no_update BEFORE UPDATE ON attempt"
    " BEGIN SELECT RAISE(ABORT, 'attempts are append-only'); END;"
    "CREATE TRIGGER attempt_no_delete BEFORE DELETE ON attempt"
    " BEGIN SELECT RAISE(ABORT, 'attempts are append-only'); END;"
    "CREATE TABLE attempt_reason ("
    " attempt_id INTEGER NOT NULL,"
    " code TEXT NOT NULL) STRICT;"
    "CREATE INDEX attempt_reason_attempt ON attempt_reason(attempt_id);",
    "CREATE TABLE stay ("
    " id INTEGER PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL,"
    " entry_attempt INTEGER NOT NULL,"
    " entry_day TEXT NOT NULL,"
    " allowed_days INTEGER NOT NULL,"
    " visa_key TEXT NOT NULL,"
    " post TEXT NOT NULL,"
    " crossing TEXT NOT NULL,"
    " nationality TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'lost')),"
    " exit_attempt INTEGER,"
    " exit_day TEXT) STRICT;"
    "CREATE INDEX stay_traveller ON stay(traveller_id, id);"
    "CREATE UNIQUE INDEX stay_one_open ON stay(traveller_id)"
    " WHERE state = 'open';"
    "CREATE INDEX stay_open_day ON stay(entry_day) WHERE state = 'open';"
    "CREATE TABLE visa ("
    " key TEXT PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL,"
    " category TEXT NOT NULL,"
    " entries_allowed INTEGER NOT NULL,"
    " stay_days INTEGER NOT NULL,"
    " valid_from TEXT NOT NULL,"
    " valid_until TEXT NOT NULL,"
    " entries_used INTEGER NOT NULL,"
    " first_entry TEXT,"
    " last_entry TEXT) STRICT, WITHOUT ROWID;"
    "CREATE TABLE movement ("
    " attempt_id INTEGER PRIMARY KEY,"
    " category TEXT NOT NULL,"
    " documentation TEXT NOT NULL,"
    " household TEXT NOT NULL,"
    " household_size INTEGER NOT NULL,"
    " sex TEXT NOT NULL,"
    " age_band TEXT NOT NULL,"
    " vulnerabilities INTEGER NOT NULL,"
    " vehicles INTEGER NOT NULL,"
    " intended_stay TEXT NOT NULL) STRICT;"
    "CREATE TABLE por_cancelled ("
    " number TEXT PRIMARY KEY,"
    " attempt_id INTEGER NOT NULL,"
    " day TEXT NOT NULL) STRICT, WITHOUT ROWID;",
    "CREATE TABLE referral ("
    " attempt_id INTEGER PRIMARY KEY,"
    " post TEXT NOT NULL) STRICT;"
    "CREATE TABLE referral_open ("
    " attempt_id INTEGER PRIMARY KEY) STRICT;"
    "CREATE TABLE resolution ("
    " attempt_id INTEGER PRIMARY KEY,"
    " decision TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " by_user TEXT NOT NULL,"
    " by_role TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " audit_seq INTEGER NOT NULL) STRICT;"
    "CREATE TRIGGER resolution_no_update BEFORE UPDATE ON resolution"
    " BEGIN SELECT RAISE(ABORT, 'resolutions are append-only'); END;"
    "CREATE TRIGGER policy_version_no_update"
    " BEFORE UPDATE ON policy_version"
    " BEGIN SELECT RAISE(ABORT, 'published policies are never edited'); END;"
    "CREATE TABLE daily_summary ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " direction TEXT NOT NULL, nationality TEXT NOT NULL,"
    " decision TEXT NOT NULL, count INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, direction, nationality, decision))"
    " STRICT, WITHOUT ROWID;"
    "CREATE TABLE returns_summary ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " documentation TEXT NOT NULL, category TEXT NOT NULL,"
    " sex TEXT NOT NULL, age_band TEXT NOT NULL,"
    " count INTEGER NOT NULL, vehicles INTEGER NOT NULL,"
    " vulnerable INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, documentation, category, sex,"
    " age_band)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE refusal_summary ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " nationality TEXT NOT NULL, code TEXT NOT NULL,"
    " count INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, nationality, code))"
    " STRICT, WITHOUT ROWID;",
    /* Version 5: the returns report reads days without the sex and age
     * keys (a tenth of the rows), filled from the finer summary. */
    "CREATE TABLE returns_daily ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " documentation TEXT NOT NULL, category TEXT NOT NULL,"
    " count INTEGER NOT NULL, children INTEGER NOT NULL,"
    " women INTEGER NOT NULL, vehicles INTEGER NOT NULL,"
    " vulnerable INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, documentation, category))"
    " STRICT, WITHOUT ROWID;"
    "INSERT INTO returns_daily SELECT day, post, crossing, documentation,"
    " category, sum(count),"
    " sum(CASE WHEN age_band IN ('0-4', '5-17') THEN count ELSE 0 END),"
    " sum(CASE WHEN sex = 'F' AND age_band NOT IN ('0-4', '5-17')"
    " THEN count ELSE 0 END), sum(vehicles), sum(vulnerable)"
    " FROM returns_summary"
    " GROUP BY day, post, crossing, documentation, category;",
    /* Version 6: refusal reasons are only ever read whole (verify), and
     * the decision text carries them for one attempt; the index cost each
     * refusal a b-tree insert per reason. */
    "DROP INDEX IF EXISTS attempt_reason_attempt;",
    /* Version 7: the stay's state check without an IN list.  SQLite codes
     * a CHECK of IN with three values as a temporary table built afresh on
     * every insert and update of a stay, which cost as much as the rest of
     * recording an entry.  The table is rebuilt (SQLite cannot change a
     * constraint in place) with its rows, ids and indexes as they were. */
    "CREATE TABLE stay_v7 ("
    " id INTEGER PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL,"
    " entry_attempt INTEGER NOT NULL,"
    " entry_day TEXT NOT NULL,"
    " allowed_days INTEGER NOT NULL,"
    " visa_key TEXT NOT NULL,"
    " post TEXT NOT NULL,"
    " crossing TEXT NOT NULL,"
    " nationality TEXT NOT NULL,"
    " state TEXT NOT NULL"
    " CHECK (state = 'open' OR state = 'closed' OR state = 'lost'),"
    " exit_attempt INTEGER,"
    " exit_day TEXT) STRICT;"
    "INSERT INTO stay_v7 SELECT id, traveller_id, entry_attempt, entry_day,"
    " allowed_days, visa_key, post, crossing, nationality, state,"
    " exit_attempt, exit_day FROM stay;"
    "DROP TABLE stay;"
    "ALTER TABLE stay_v7 RENAME TO stay;"
    "CREATE INDEX stay_traveller ON stay(traveller_id, id);"
    "CREATE UNIQUE INDEX stay_one_open ON stay(traveller_id)"
    " WHERE state = 'open';"
    "CREATE INDEX stay_open_day ON stay(entry_day) WHERE state = 'open';",
    /* Version 8: a refusal's reason codes are read from its decision text
     * (the "reasons" array), which the attempt row keeps and the audit
     * entry's hash covers.  The separate rows repeated it, and writing
     * them cost a refusal with three reasons more than half as much again
     * as its attempt row. */
    "DROP TABLE IF EXISTS attempt_reason;",
    /* Version 9: a key given to a known traveller keeps, in its own row,
     * the key that justified it (kind, value, and the attempt that first
     * showed that one), and the link's reason is read from there.  A
     * separate link row for each cost a first sighting with a new passport
     * two more inserts, one into an index in random order.  Links recorded
     * before stay in traveller_link, where conflicts still go. */
    "ALTER TABLE traveller_key ADD COLUMN by_kind TEXT;"
    "ALTER TABLE traveller_key ADD COLUMN by_value TEXT;"
    "ALTER TABLE traveller_key ADD COLUMN by_first INTEGER;",
    /* Version 10: the Pakistani daily tallies (DOMAIN.md section 6:
     * "individuals, families, men/women/children and vehicles per crossing
     * per day").  A household named on an exit is a family on that day at
     * that crossing while at least one of its members' exits there counts
     * as admitted: household_day keeps how many do (keyed by day first, so
     * a day's households are appended together), and family_daily the
     * families per day and crossing, moved by triggers whenever a
     * household starts or stops counting (whichever path changed it), so
     * the report reads a row per day and crossing.  returns_daily gains
     * the men beside its women and children.  All three are filled from
     * the exits already recorded. */
    "CREATE TABLE household_day ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " household TEXT NOT NULL, members INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, household)) STRICT, WITHOUT ROWID;"
    "INSERT INTO household_day SELECT a.day, a.post, a.crossing,"
    " m.household, count(*) FROM attempt a"
    " JOIN movement m ON m.attempt_id = a.id"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE m.household != '' AND coalesce(r.decision, a.decision) = 'admit'"
    " GROUP BY 1, 2, 3, 4;"
    "CREATE TABLE family_daily ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " families INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing)) STRICT, WITHOUT ROWID;"
    "INSERT INTO family_daily SELECT day, post, crossing, count(*)"
    " FROM household_day WHERE members > 0 GROUP BY 1, 2, 3;"
    "CREATE TRIGGER household_day_counts AFTER INSERT ON household_day"
    " WHEN NEW.members > 0 BEGIN"
    " INSERT INTO family_daily VALUES (NEW.day, NEW.post, NEW.crossing, 1)"
    " ON CONFLICT DO UPDATE SET families = families + 1; END;"
    "CREATE TRIGGER household_day_moves AFTER UPDATE OF members"
    " ON household_day WHEN (OLD.members > 0) != (NEW.members > 0) BEGIN"
    " INSERT INTO family_daily VALUES (NEW.day, NEW.post, NEW.crossing,"
    " CASE WHEN NEW.members > 0 THEN 1 ELSE -1 END)"
    " ON CONFLICT DO UPDATE SET families = families + excluded.families;"
    " END;"
    "ALTER TABLE returns_daily ADD COLUMN men INTEGER NOT NULL DEFAULT 0;"
    "UPDATE returns_daily SET men = (SELECT coalesce(sum(s.count), 0)"
    " FROM returns_summary s WHERE s.day = returns_daily.day"
    " AND s.post = returns_daily.post AND s.crossing = returns_daily.crossing"
    " AND s.documentation = returns_daily.documentation"
    " AND s.category = returns_daily.category AND s.sex = 'M'"
    " AND s.age_band NOT IN ('0-4', '5-17'));",
    /* Version 11: why people cross and how long they mean to stay (IOM's
     * flow monitoring, DOMAIN.md section 6): each day's admitted
     * crossings by crossing, direction, purpose and intended stay, as the
     * officer recorded them ("not stated" when not), filled from the
     * attempts already recorded. */
    "CREATE TABLE purpose_daily ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " direction TEXT NOT NULL, purpose TEXT NOT NULL,"
    " intended_stay TEXT NOT NULL, count INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, direction, purpose, intended_stay))"
    " STRICT, WITHOUT ROWID;"
    "INSERT INTO purpose_daily SELECT a.day, a.post, a.crossing,"
    " a.direction,"
    " coalesce(nullif(a.presentation ->> '$.traveller.purpose', ''),"
    " 'not stated'),"
    " coalesce(nullif(m.intended_stay, ''), 'not stated'), count(*)"
    " FROM attempt a LEFT JOIN movement m ON m.attempt_id = a.id"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE coalesce(r.decision, a.decision) = 'admit'"
    " GROUP BY 1, 2, 3, 4, 5, 6;",
    /* Version 12: the returns by vulnerability (IOM's flow monitoring:
     * unaccompanied children, medical cases, single women, elderly,
     * disabled, persons with specific needs): each day's admitted exits
     * by crossing, movement and each vulnerability flagged (one person
     * counts under each of theirs), filled from the recorded exits. */
    "CREATE TABLE vulnerability_daily ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " category TEXT NOT NULL, vulnerability TEXT NOT NULL,"
    " count INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, category, vulnerability))"
    " STRICT, WITHOUT ROWID;"
    "INSERT INTO vulnerability_daily SELECT a.day, a.post, a.crossing,"
    " m.category, v.name, count(*) FROM attempt a"
    " JOIN movement m ON m.attempt_id = a.id"
    " JOIN " SARHAD__VULNERABILITY_TABLE " ON (m.vulnerabilities & v.bit) != 0"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE coalesce(r.decision, a.decision) = 'admit'"
    " GROUP BY 1, 2, 3, 4, 5;",
    /* Version 13: arrests and detentions by province and documentation
     * status (the UNHCR-IOM flash updates).  An exit may say where and
     * when its traveller was arrested: the movement row keeps the
     * province and the days held until the exit.  A deportation, or an
     * exit that names an arrest, counts in detention_daily by the day of
     * the exit, with the days held summed over the dated arrests.  The
     * deportations recorded before are counted, their province not
     * stated. */
    "ALTER TABLE movement ADD COLUMN arrest_province TEXT NOT NULL"
    " DEFAULT '';"
    "ALTER TABLE movement ADD COLUMN days_held INTEGER;"
    "CREATE TABLE detention_daily ("
    " day TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
    " province TEXT NOT NULL, documentation TEXT NOT NULL,"
    " category TEXT NOT NULL, count INTEGER NOT NULL,"
    " held_days INTEGER NOT NULL, dated INTEGER NOT NULL,"
    " PRIMARY KEY (day, post, crossing, province, documentation, category))"
    " STRICT, WITHOUT ROWID;"
    "INSERT INTO detention_daily SELECT a.day, a.post, a.crossing,"
    " " SARHAD__ARREST_PROVINCE ", m.documentation, m.category, count(*),"
    " coalesce(sum(m.days_held), 0), count(m.days_held) FROM attempt a"
    " JOIN movement m ON m.attempt_id = a.id"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE " SARHAD__DETAINED " AND coalesce(r.decision, a.decision) ="
    " 'admit' GROUP BY 1, 2, 3, 4, 5, 6;",
    /* Version 14: the replays the server ran, kept under the seq of their
     * audit entry (src/replay_keep.c), never changed. */
    "CREATE TABLE replay_kept ("
    " id INTEGER PRIMARY KEY,"
    " doc TEXT NOT NULL) STRICT;"
    "CREATE TRIGGER replay_kept_no_update BEFORE UPDATE ON replay_kept"
    " BEGIN SELECT RAISE(ABORT, 'a kept replay is never changed'); END;"
    "CREATE TRIGGER replay_kept_no_delete BEFORE DELETE ON replay_kept"
    " BEGIN SELECT RAISE(ABORT, 'a kept replay is never changed'); END;",
};
const size_t sarhad__ledger_step_count = SARHAD_COUNT_OF(sarhad__ledger_steps);
