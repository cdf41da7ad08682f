/*
 * ledger_override.c - a supervisor's override of a decision: a refused
 * traveller admitted after all (a medical exception, a mistake at the
 * counter) or an admitted one turned back, with a written reason.
 *
 * Like a referral's resolution it is a new event that refers to the
 * attempt, which stays as recorded: a row of the resolution table, audited
 * as "override", and the attempt's final outcome from then on.  So the
 * daily figures move from the old outcome to the new; a refusal's reasons
 * leave the refusals summary, or "override_refused" joins it; and what the
 * admission changed is made (as a resolution makes it) or unmade: the stay
 * opened or closed, the visa entry used, the returns figures (and the
 * arrests among them), the PoR card punched.  Unmaking is exact only for the
 * traveller's latest attempt (a later crossing was decided on the history this
 * one made), so only the latest can be overridden.
 */
#include "ledger.h"

#include <string.h>

static const char sql_reason_codes[] =
    "SELECT coalesce(x.value ->> 'code', 'none') FROM attempt a"
    " LEFT JOIN json_each(a.decision_json, '$.reasons') x WHERE a.id = ?1";

/* The daily figures move to the new outcome; the refusals follow. */
static enum sarhad_status
stage_tallies(struct sarhad_store *store, int64_t attempt_id,
              const struct sarhad__recorded *r, const char *name,
              struct sarhad__item_tallies *t, struct sarhad_error *err)
{
    const char *daily_old[6] = {r->day,       r->post,        r->crossing,
                                r->direction, r->nationality, r->decision};
    const char *daily_new[6] = {r->day,       r->post,        r->crossing,
                                r->direction, r->nationality, name};
    char code[64];
    const char *refusal[5] = {r->day, r->post, r->crossing, r->nationality,
                              code};
    enum sarhad_status s;
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    t->n = 0;
    s = sarhad__tally_daily(t, daily_old, -1, err);
    if (s == SARHAD_OK)
        s = sarhad__tally_daily(t, daily_new, 1, err);
    /* Only an admitted crossing counts by its purpose. */
    if (s == SARHAD_OK)
        s = sarhad__tally_purpose(t, daily_new, r->purpose, r->intended_stay,
                                  strcmp(name, "admit") == 0 ? 1 : -1, err);
    if (s != SARHAD_OK)
        return s;
    if (strcmp(name, "refuse") == 0) {
        strcpy(code, "override_refused");
        return sarhad__tally_refusal(t, refusal, 1, err);
    }
    /* Admitted after all: the refusal's reasons no longer count. */
    st = sarhad__store_prepare(store, sql_reason_codes, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, attempt_id);
    while (s == SARHAD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sarhad__strlcpy(code, sarhad__col_text(st, 0), sizeof(code));
        s = sarhad__tally_refusal(t, refusal, -1, err);
    }
    sqlite3_reset(st);
    if (s == SARHAD_OK && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the refusal's reasons",
                                  err);
    return s;
}

static const char sql_stay_drop[] =
    "DELETE FROM stay WHERE traveller_id = ?1 AND entry_attempt = ?2";
/* The entry being unmade marked the stay before it lost, if it was open;
 * nothing later can have (this entry is the traveller's latest). */
static const char sql_stay_unlose[] =
    "UPDATE stay SET state = 'open' WHERE id = (SELECT max(id) FROM stay"
    " WHERE traveller_id = ?1) AND state = 'lost'";
static const char sql_visa_unuse[] =
    "UPDATE visa SET entries_used = entries_used - 1,"
    " first_entry = CASE WHEN entries_used = 1 THEN NULL ELSE first_entry END,"
    " last_entry = (SELECT max(entry_day) FROM stay WHERE traveller_id = ?1"
    " AND visa_key = ?2) WHERE key = ?2";
static const char sql_stay_reopen[] =
    "UPDATE stay SET state = 'open', exit_attempt = NULL, exit_day = NULL"
    " WHERE traveller_id = ?1 AND exit_attempt = ?2";
static const char sql_returns_uncount[] =
    "UPDATE returns_summary SET count = count - 1,"
    " vehicles = returns_summary.vehicles - m.vehicles,"
    " vulnerable = vulnerable - (m.vulnerabilities != 0)"
    " FROM movement m WHERE m.attempt_id = ?1"
    " AND returns_summary.day = ?2 AND returns_summary.post = ?3"
    " AND returns_summary.crossing = ?4"
    " AND returns_summary.documentation = m.documentation"
    " AND returns_summary.category = m.category"
    " AND returns_summary.sex = m.sex AND returns_summary.age_band = "
    "m.age_band";
static const char sql_returns_daily_uncount[] =
    "UPDATE returns_daily SET count = count - 1,"
    " children = children - (m.age_band IN ('0-4', '5-17')),"
    " women = women - (m.sex = 'F' AND m.age_band NOT IN ('0-4', '5-17')),"
    " men = men - (m.sex = 'M' AND m.age_band NOT IN ('0-4', '5-17')),"
    " vehicles = returns_daily.vehicles - m.vehicles,"
    " vulnerable = vulnerable - (m.vulnerabilities != 0)"
    " FROM movement m WHERE m.attempt_id = ?1"
    " AND returns_daily.day = ?2 AND returns_daily.post = ?3"
    " AND returns_daily.crossing = ?4"
    " AND returns_daily.documentation = m.documentation"
    " AND returns_daily.category = m.category";
static const char sql_vulnerabilities_uncount[] =
    "UPDATE vulnerability_daily SET count = count - 1"
    " FROM movement m JOIN " SARHAD__VULNERABILITY_TABLE
    " ON (m.vulnerabilities & v.bit) != 0 WHERE m.attempt_id = ?1"
    " AND vulnerability_daily.day = ?2 AND vulnerability_daily.post = ?3"
    " AND vulnerability_daily.crossing = ?4"
    " AND vulnerability_daily.category = m.category"
    " AND vulnerability_daily.vulnerability = v.name";
static const char sql_detentions_uncount[] =
    "UPDATE detention_daily SET count = count - 1,"
    " held_days = held_days - coalesce(m.days_held, 0),"
    " dated = dated - (m.days_held IS NOT NULL)"
    " FROM movement m WHERE m.attempt_id = ?1 AND " SARHAD__DETAINED
    " AND detention_daily.day = ?2 AND detention_daily.post = ?3"
    " AND detention_daily.crossing = ?4"
    " AND detention_daily.province = " SARHAD__ARREST_PROVINCE
    " AND detention_daily.documentation = m.documentation"
    " AND detention_daily.category = m.category";
static const char sql_por_unpunch[] =
    "DELETE FROM por_cancelled WHERE attempt_id = ?1";

/* Run sql with the ids bound first (?1, ...), then the texts. */
static enum sarhad_status
run(struct sarhad_store *store, const char *sql, const char *what,
    const int64_t *ids, int nid, const char *const *texts, int ntext,
    struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql, err);

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    for (int i = 0; i < nid; i++)
        sqlite3_bind_int64(st, 1 + i, ids[i]);
    for (int i = 0; i < ntext; i++)
        sqlite3_bind_text(st, 1 + nid + i, texts[i], -1, SQLITE_STATIC);
    return sarhad__store_step_done(store, st, what, err);
}

/* Undo what admitting the attempt changed. */
static enum sarhad_status
unadmit(struct sarhad_ledger *ledger, int64_t attempt_id,
        const struct sarhad__recorded *r, struct sarhad_error *err)
{
    struct sarhad_store *store = ledger->store;
    bool citizen = strcmp(r->nationality, ledger->citizen) == 0;
    bool has_stays = !citizen && r->traveller_id != 0;
    enum sarhad_status s = SARHAD_OK;

    const int64_t both[2] = {r->traveller_id, attempt_id};
    const char *where[3] = {r->day, r->post, r->crossing};
    const char *visa[1] = {r->visa_key};

    if (strcmp(r->direction, "entry") == 0) {
        if (has_stays)
            s = run(store, sql_stay_drop, "drop the stay", both, 2, NULL, 0,
                    err);
        if (s == SARHAD_OK && has_stays)
            s = run(store, sql_stay_unlose, "reopen the stay before", both, 1,
                    NULL, 0, err);
        if (s == SARHAD_OK && !citizen && r->visa_key[0] != '\0')
            s = run(store, sql_visa_unuse, "give back a visa entry", both, 1,
                    visa, 1, err);
        return s;
    }
    if (has_stays)
        s = run(store, sql_stay_reopen, "reopen the stay", both, 2, NULL, 0,
                err);
    if (s == SARHAD_OK)
        s = run(store, sql_returns_uncount, "update the returns summary",
                &attempt_id, 1, where, 3, err);
    if (s == SARHAD_OK)
        s = run(store, sql_returns_daily_uncount, "update the daily returns",
                &attempt_id, 1, where, 3, err);
    if (s == SARHAD_OK)
        s = run(store, sql_vulnerabilities_uncount,
                "update the vulnerabilities", &attempt_id, 1, where, 3, err);
    if (s == SARHAD_OK)
        s = run(store, sql_detentions_uncount, "update the detentions",
                &attempt_id, 1, where, 3, err);
    if (s == SARHAD_OK)
        s = sarhad__household_count(store, attempt_id, r->day, r->post,
                                    r->crossing, -1, err);
    if (s == SARHAD_OK)
        s = run(store, sql_por_unpunch, "give back the PoR card", &attempt_id,
                1, NULL, 0, err);
    return s;
}

static enum sarhad_status
override_in(struct sarhad_ledger *ledger, int64_t attempt_id,
            enum sarhad_outcome outcome, const char *reason,
            const struct sarhad_actor *who, int64_t now, int64_t *seq_out,
            struct sarhad_error *err)
{
    struct sarhad_store *store = ledger->store;
    const char *name = sarhad_outcome_name(outcome);
    struct sarhad__item_tallies tallies;
    struct sarhad__recorded r;
    enum sarhad_status s;
    int64_t seq = 0;

    s = sarhad__recorded_load(store, attempt_id, &r, err);
    if (s != SARHAD_OK)
        return s;
    if (r.referred)
        return sarhad__fail(err, SARHAD_EINVAL, "attempt", SIZE_MAX,
                            "attempt %lld was referred: its referral is "
                            "resolved, not overridden",
                            (long long)attempt_id);
    if (r.resolved)
        return sarhad__fail(err, SARHAD_EEXIST, "attempt", SIZE_MAX,
                            "attempt %lld was already overridden",
                            (long long)attempt_id);
    if (strcmp(r.decision, name) == 0)
        return sarhad__fail(err, SARHAD_EINVAL, "decision", SIZE_MAX,
                            "attempt %lld was decided %s already",
                            (long long)attempt_id, name);
    if (!r.latest)
        return sarhad__fail(err, SARHAD_EINVAL, "attempt", SIZE_MAX,
                            "a later crossing of this traveller is recorded: "
                            "only the latest attempt can be overridden");
    s = stage_tallies(store, attempt_id, &r, name, &tallies, err);
    if (s == SARHAD_OK)
        s = sarhad__record_resolution(store, attempt_id, name, reason, who, now,
                                      "override", &seq, err);
    for (unsigned i = 0; s == SARHAD_OK && i < tallies.n; i++)
        s = sarhad__tally_write(store, &tallies.t[i], err);
    if (s == SARHAD_OK && outcome == SARHAD_ADMIT) {
        struct sarhad__admit a;
        sarhad__recorded_admit(ledger, &r, attempt_id, &a);
        s = sarhad__admit_effects(store, ledger->memo, &a, err);
    } else if (s == SARHAD_OK) {
        s = unadmit(ledger, attempt_id, &r, err);
        /* The memo remembered the admission: it starts again from the
         * store. */
        sarhad__store_invalidate(store);
    }
    if (s == SARHAD_OK && seq_out != NULL)
        *seq_out = seq;
    return s;
}

enum sarhad_status
sarhad_ledger_override(struct sarhad_ledger *ledger, int64_t attempt_id,
                       enum sarhad_outcome outcome, const char *reason,
                       const struct sarhad_actor *who, int64_t now,
                       int64_t *seq, struct sarhad_error *err)
{
    return sarhad__supervisor_apply(ledger, attempt_id, outcome, reason, who,
                                    now, seq, "override a decision",
                                    override_in, err);
}
