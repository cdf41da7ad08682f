/*
 * ledger_verify.c - checking a store: SQLite's own integrity check, the
 * audit chain, and the ledger's invariants.  The summaries the reports read
 * (and the households counted as families) are recomputed from the events
 * and compared cell by cell, so a summary that drifted from its events (a
 * bug, or an edit made around sarhad) is found, as is an attempt without
 * its audit entry, a stay that runs backwards, a visa whose count of used
 * entries disagrees with the admitted entries on it, a referral neither
 * open nor resolved once, or an override that changes nothing.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

struct findings {
    struct sarhad_verify_problem *out;
    unsigned cap;
    unsigned count;
};

static void
add(struct findings *f, const char *check, int64_t subject, const char *msg)
{
    if (f->count < f->cap) {
        struct sarhad_verify_problem *p = &f->out[f->count];
        memset(p, 0, sizeof(*p));
        sarhad__strlcpy(p->check, check, sizeof(p->check));
        p->subject = subject;
        sarhad__strlcpy(p->message, msg, sizeof(p->message));
    }
    f->count++;
}

/* Each check is a query whose rows are problems: (subject, message). */
struct check {
    const char *name;
    const char *sql;
};

/* Final outcome of an attempt: the resolution's when there is one. */
#define FINAL "coalesce(r.decision, a.decision)"

static const struct check checks[] = {
    {"audit_link",
     "SELECT a.id, 'attempt has no matching audit entry' FROM attempt a"
     " LEFT JOIN audit_log l ON l.seq = a.audit_seq"
     " WHERE l.seq IS NULL OR l.kind != 'decision'"
     " OR l.subject != 'attempt:' || a.id"},
    /* A referral's outcome is a resolution; any other attempt's, an
     * override. */
    {"audit_link",
     "SELECT r.attempt_id, 'resolution has no matching audit entry'"
     " FROM resolution r LEFT JOIN audit_log l ON l.seq = r.audit_seq"
     " WHERE l.seq IS NULL OR l.subject != 'attempt:' || r.attempt_id"
     " OR l.kind != CASE WHEN EXISTS (SELECT 1 FROM referral f"
     " WHERE f.attempt_id = r.attempt_id) THEN 'resolution'"
     " ELSE 'override' END"},
    {"audit_link",
     "SELECT l.seq, 'audit entry names an attempt that is not recorded'"
     " FROM audit_log l LEFT JOIN attempt a"
     " ON a.id = CAST(substr(l.subject, 9) AS INTEGER)"
     " WHERE l.kind = 'decision' AND (a.id IS NULL OR a.audit_seq != l.seq)"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, a.direction,"
     " a.nationality, " FINAL " AS decision, count(*) AS n FROM attempt a"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " GROUP BY 1, 2, 3, 4, 5, 6),"
     " s AS (SELECT day, post, crossing, direction, nationality, decision,"
     " count AS n FROM daily_summary WHERE count != 0)"
     " SELECT 0, 'daily summary for ' || day || ' ' || crossing || ' '"
     " || direction || ' ' || nationality || ' ' || decision"
     " || ' disagrees with the attempts'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, m.documentation,"
     " m.category, m.sex, m.age_band, count(*) AS n,"
     " sum(m.vehicles) AS v, sum(m.vulnerabilities != 0) AS u"
     " FROM attempt a JOIN movement m ON m.attempt_id = a.id"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE " FINAL " = 'admit' GROUP BY 1, 2, 3, 4, 5, 6, 7),"
     " s AS (SELECT day, post, crossing, documentation, category, sex,"
     " age_band, count, vehicles, vulnerable FROM returns_summary"
     " WHERE count != 0)"
     " SELECT 0, 'returns summary for ' || day || ' ' || crossing || ' '"
     " || documentation || ' ' || category || ' disagrees with the exits'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT day, post, crossing, documentation, category,"
     " sum(count) AS n,"
     " sum(CASE WHEN age_band IN ('0-4', '5-17') THEN count ELSE 0 END),"
     " sum(CASE WHEN sex = 'F' AND age_band NOT IN ('0-4', '5-17')"
     " THEN count ELSE 0 END),"
     " sum(CASE WHEN sex = 'M' AND age_band NOT IN ('0-4', '5-17')"
     " THEN count ELSE 0 END), sum(vehicles), sum(vulnerable)"
     " FROM returns_summary GROUP BY 1, 2, 3, 4, 5 HAVING n != 0),"
     " s AS (SELECT day, post, crossing, documentation, category, count,"
     " children, women, men, vehicles, vulnerable FROM returns_daily"
     " WHERE count != 0)"
     " SELECT 0, 'daily returns for ' || day || ' ' || crossing || ' '"
     " || documentation || ' ' || category || ' disagree with the returns'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT day, post, crossing, nationality, code,"
     " count(*) AS n FROM (SELECT a.day, a.post, a.crossing,"
     " a.nationality, coalesce(x.value ->> 'code', 'none') AS code"
     " FROM attempt a"
     " LEFT JOIN json_each(a.decision_json, '$.reasons') x"
     " LEFT JOIN resolution o ON o.attempt_id = a.id"
     " WHERE a.decision = 'refuse' AND o.attempt_id IS NULL"
     " UNION ALL SELECT a.day, a.post, a.crossing, a.nationality,"
     " CASE a.decision WHEN 'refer' THEN 'referral_refused'"
     " ELSE 'override_refused' END FROM resolution r"
     " JOIN attempt a ON a.id = r.attempt_id WHERE r.decision = 'refuse')"
     " GROUP BY 1, 2, 3, 4, 5),"
     " s AS (SELECT day, post, crossing, nationality, code, count"
     " FROM refusal_summary WHERE count != 0)"
     " SELECT 0, 'refusal summary for ' || day || ' ' || crossing || ' '"
     " || code || ' disagrees with the refusals'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, m.household,"
     " count(*) AS n FROM attempt a JOIN movement m ON m.attempt_id = a.id"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE m.household != '' AND " FINAL " = 'admit'"
     " GROUP BY 1, 2, 3, 4),"
     " s AS (SELECT day, post, crossing, household, members"
     " FROM household_day WHERE members != 0)"
     " SELECT 0, 'household count for ' || day || ' ' || crossing"
     " || ' disagrees with the exits'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT day, post, crossing, count(*) AS n"
     " FROM household_day WHERE members > 0 GROUP BY 1, 2, 3),"
     " s AS (SELECT day, post, crossing, families FROM family_daily"
     " WHERE families != 0)"
     " SELECT 0, 'families for ' || day || ' ' || crossing"
     " || ' disagree with the households'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, a.direction,"
     " coalesce(nullif(a.presentation ->> '$.traveller.purpose', ''),"
     " 'not stated'),"
     " coalesce(nullif(m.intended_stay, ''), 'not stated'), count(*) AS n"
     " FROM attempt a LEFT JOIN movement m ON m.attempt_id = a.id"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE " FINAL " = 'admit' GROUP BY 1, 2, 3, 4, 5, 6),"
     " s AS (SELECT day, post, crossing, direction, purpose, intended_stay,"
     " count FROM purpose_daily WHERE count != 0)"
     " SELECT 0, 'purposes for ' || day || ' ' || crossing || ' '"
     " || direction || ' disagree with the attempts'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, m.category, v.name,"
     " count(*) AS n FROM attempt a JOIN movement m ON m.attempt_id = a.id"
     " JOIN " SARHAD__VULNERABILITY_TABLE " ON (m.vulnerabilities & v.bit) != 0"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE " FINAL " = 'admit' GROUP BY 1, 2, 3, 4, 5),"
     " s AS (SELECT day, post, crossing, category, vulnerability, count"
     " FROM vulnerability_daily WHERE count != 0)"
     " SELECT 0, 'vulnerabilities for ' || day || ' ' || crossing"
     " || ' disagree with the exits'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"summary",
     "WITH e AS (SELECT a.day, a.post, a.crossing, " SARHAD__ARREST_PROVINCE
     " AS province, m.documentation, m.category, count(*) AS n,"
     " coalesce(sum(m.days_held), 0), count(m.days_held) FROM attempt a"
     " JOIN movement m ON m.attempt_id = a.id"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE " SARHAD__DETAINED " AND " FINAL " = 'admit'"
     " GROUP BY 1, 2, 3, 4, 5, 6),"
     " s AS (SELECT day, post, crossing, province, documentation, category,"
     " count, held_days, dated FROM detention_daily WHERE count != 0)"
     " SELECT 0, 'detentions for ' || day || ' ' || crossing || ' '"
     " || province || ' disagree with the exits'"
     " FROM (SELECT * FROM (SELECT * FROM e EXCEPT SELECT * FROM s)"
     " UNION ALL SELECT * FROM (SELECT * FROM s EXCEPT SELECT * FROM e))"},
    {"replays",
     "SELECT k.id, 'kept replay has no replay entry in the audit log'"
     " FROM replay_kept k LEFT JOIN audit_log l ON l.seq = k.id"
     " WHERE l.seq IS NULL OR l.kind != 'replay'"},
    {"stays",
     "SELECT id, 'stay ends before it begins' FROM stay"
     " WHERE state = 'closed' AND (exit_day IS NULL OR exit_day < entry_day)"},
    {"stays",
     "SELECT s.id, 'stay was opened by an attempt that was not an admitted"
     " entry' FROM stay s JOIN attempt a ON a.id = s.entry_attempt"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE a.direction != 'entry' OR " FINAL " != 'admit'"},
    {"visa",
     "SELECT 0, 'visa entries used disagree with the admitted entries: '"
     " || v.key FROM visa v LEFT JOIN (SELECT a.visa_key AS k,"
     " count(*) AS n FROM attempt a"
     " LEFT JOIN resolution r ON r.attempt_id = a.id"
     " WHERE a.direction = 'entry' AND a.visa_key != ''"
     " AND a.nationality != (SELECT coalesce((SELECT value FROM store_meta"
     " WHERE key = 'citizens'), 'PAK'))"
     " AND " FINAL " = 'admit' GROUP BY a.visa_key) u ON u.k = v.key"
     " WHERE v.entries_used != coalesce(u.n, 0)"},
    {"referrals",
     "SELECT f.attempt_id, 'referral is not open or resolved exactly once'"
     " FROM referral f WHERE"
     " (SELECT count(*) FROM referral_open o"
     " WHERE o.attempt_id = f.attempt_id)"
     " + (SELECT count(*) FROM resolution r"
     " WHERE r.attempt_id = f.attempt_id) != 1"},
    {"referrals",
     "SELECT a.id, 'referred attempt has no referral case' FROM attempt a"
     " LEFT JOIN referral f ON f.attempt_id = a.id"
     " WHERE a.decision = 'refer' AND f.attempt_id IS NULL"},
    {"overrides",
     "SELECT r.attempt_id, 'override that does not change the decision'"
     " FROM resolution r JOIN attempt a ON a.id = r.attempt_id"
     " WHERE a.decision != 'refer' AND r.decision = a.decision"},
};

static enum sarhad_status
run_check(sqlite3 *db, const struct check *c, struct findings *f,
          struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, c->sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, "prepare a ledger check", err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        add(f, c->name, sqlite3_column_int64(st, 0),
            (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_CORRUPT) {
            add(f, "integrity", 0, "the store is corrupt");
            return SARHAD_OK;
        }
        return sarhad__store_fail(db, rc, "check the ledger", err);
    }
    return SARHAD_OK;
}

static enum sarhad_status
integrity(sqlite3 *db, struct findings *f, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);

    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, "check the store", err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *msg = (const char *)sqlite3_column_text(st, 0);
        if (msg != NULL && strcmp(msg, "ok") != 0)
            add(f, "integrity", 0, msg);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        add(f, "integrity", 0, "the store is corrupt");
        return SARHAD_OK;
    }
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_verify(struct sarhad_store *store,
                     struct sarhad_verify_problem *problems, unsigned cap,
                     unsigned *problem_count, struct sarhad_error *err)
{
    struct findings f = {problems, problems != NULL ? cap : 0, 0};
    struct sarhad_audit_report audit;
    enum sarhad_status s;

    if (store == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "verify", SIZE_MAX,
                            "no store given");
    /* Inside a batch, the summaries are checked with its pending tallies. */
    if (store->in_batch && (s = sarhad__store_tally_flush(store, err)) != 0)
        return s;
    s = integrity(store->db, &f, err);
    if (s == SARHAD_OK && f.count == 0) {
        s = sarhad_audit_verify(store, &audit, err);
        if (s == SARHAD_OK && !audit.ok) {
            char msg[160];
            snprintf(msg, sizeof(msg), "audit entry %lld: %.120s",
                     (long long)audit.first_bad, audit.problem);
            add(&f, "audit_chain", audit.first_bad, msg);
        }
    }
    for (size_t i = 0; s == SARHAD_OK && i < SARHAD_COUNT_OF(checks); i++)
        s = run_check(store->db, &checks[i], &f, err);
    if (s == SARHAD_OK) {
        int64_t bad;
        char problem[160];

        s = sarhad_bundle_verify_applied(store, &bad, problem, err);
        if (s == SARHAD_OK && bad != 0)
            add(&f, "bundles", bad, problem);
    }
    if (s == SARHAD_OK && problem_count != NULL)
        *problem_count = f.count;
    return s;
}
