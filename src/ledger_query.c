/*
 * ledger_query.c - reading the ledger back and the supervisor's side of
 * it: published policies, the referral queue and its resolution (a new
 * event that refers to the attempt, never an edit of it), one attempt as
 * JSON, and a traveller's history with the reasons their documents were
 * linked.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

static const char sql_policy_list[] =
    "SELECT number, name, version, filename, published_at, published_by,"
    " sha256, number = (SELECT max(number) FROM policy_version), text"
    " FROM policy_version WHERE ?1 = -1 OR number = ?1"
    " OR (?1 = 0 AND number = (SELECT max(number) FROM policy_version))"
    " ORDER BY number";

static void
policy_row(struct sarhad_policy_info *pi, sqlite3_stmt *st)
{
    struct sarhad_time t =
        sarhad_time_from_unix(sqlite3_column_int64(st, 4), 0);

    memset(pi, 0, sizeof(*pi));
    pi->number = sqlite3_column_int(st, 0);
    sarhad__strlcpy(pi->name, sarhad__col_text(st, 1), sizeof(pi->name));
    pi->version = sqlite3_column_int(st, 2);
    sarhad__strlcpy(pi->filename, sarhad__col_text(st, 3),
                    sizeof(pi->filename));
    sarhad_time_format(pi->published_at, &t);
    sarhad__strlcpy(pi->published_by, sarhad__col_text(st, 5),
                    sizeof(pi->published_by));
    sarhad__strlcpy(pi->sha256, sarhad__col_text(st, 6), sizeof(pi->sha256));
    pi->is_current = sqlite3_column_int(st, 7) != 0;
}

enum sarhad_status
sarhad_ledger_policy_list(struct sarhad_store *store,
                          bool (*fn)(void *ctx,
                                     const struct sarhad_policy_info *info),
                          void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_policy_list, err);
    struct sarhad_policy_info pi;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int(st, 1, -1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        policy_row(&pi, st);
        if (!fn(ctx, &pi)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "list the policies", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_policy_text(struct sarhad_store *store, int number,
                          void (*fn)(void *ctx,
                                     const struct sarhad_policy_info *info,
                                     const char *text, size_t len),
                          void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_policy_list, err);
    struct sarhad_policy_info pi;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    if (number < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "number", SIZE_MAX,
                            "a publication number is 0 (current) or more");
    sqlite3_bind_int(st, 1, number);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        policy_row(&pi, st);
        fn(ctx, &pi, sarhad__col_text(st, 8),
           (size_t)sqlite3_column_bytes(st, 8));
        sqlite3_reset(st);
        return SARHAD_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the policy", err);
    return sarhad__fail(err, SARHAD_ENOTFOUND, "number", SIZE_MAX,
                        "no policy publication number %d", number);
}

/* ---- referrals ---- */

static const char sql_referrals[] =
    "SELECT a.id, a.traveller_id, a.post, a.crossing, a.direction, a.time,"
    " a.officer, a.nationality, t.surname, t.given_names, a.rule,"
    " json_extract(a.decision_json, '$.reasons[0].code'),"
    " json_extract(a.decision_json, '$.reasons[0].message')"
    " FROM referral_open o JOIN attempt a ON a.id = o.attempt_id"
    " LEFT JOIN traveller t ON t.id = a.traveller_id"
    " WHERE ?1 = '' OR a.post = ?1 ORDER BY a.id";

enum sarhad_status
sarhad_ledger_referrals(struct sarhad_store *store, const char *post,
                        bool (*fn)(void *ctx, const struct sarhad_referral *r),
                        void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_referrals, err);
    struct sarhad_referral r;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, post != NULL ? post : "", -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *surname = sarhad__col_text(st, 8);
        const char *given = sarhad__col_text(st, 9);
        memset(&r, 0, sizeof(r));
        r.attempt_id = sqlite3_column_int64(st, 0);
        r.traveller_id = sqlite3_column_int64(st, 1);
        sarhad__strlcpy(r.post, sarhad__col_text(st, 2), sizeof(r.post));
        sarhad__strlcpy(r.crossing, sarhad__col_text(st, 3),
                        sizeof(r.crossing));
        r.direction = strcmp(sarhad__col_text(st, 4), "exit") == 0
                          ? SARHAD_EXIT
                          : SARHAD_ENTRY;
        sarhad__strlcpy(r.at, sarhad__col_text(st, 5), sizeof(r.at));
        sarhad__strlcpy(r.officer, sarhad__col_text(st, 6), sizeof(r.officer));
        sarhad__strlcpy(r.nationality, sarhad__col_text(st, 7),
                        sizeof(r.nationality));
        snprintf(r.name, sizeof(r.name), "%s%s%s", surname,
                 given[0] != '\0' ? ", " : "", given);
        sarhad__strlcpy(r.rule, sarhad__col_text(st, 10), sizeof(r.rule));
        sarhad__strlcpy(r.reason_code, sarhad__col_text(st, 11),
                        sizeof(r.reason_code));
        sarhad__strlcpy(r.reason, sarhad__col_text(st, 12), sizeof(r.reason));
        if (!fn(ctx, &r)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "list the referrals", err);
    return SARHAD_OK;
}

static const char sql_recorded[] =
    "SELECT a.day, a.post, a.crossing, a.direction, a.nationality,"
    " a.traveller_id, a.visa_key, a.allowed_days, a.decision,"
    " EXISTS (SELECT 1 FROM referral f WHERE f.attempt_id = a.id),"
    " EXISTS (SELECT 1 FROM resolution r WHERE r.attempt_id = a.id),"
    " a.traveller_id = 0 OR NOT EXISTS (SELECT 1 FROM attempt b"
    " WHERE b.traveller_id = a.traveller_id AND b.id > a.id),"
    " coalesce(a.presentation ->> '$.traveller.purpose', ''),"
    " coalesce((SELECT m.intended_stay FROM movement m"
    " WHERE m.attempt_id = a.id), '')"
    " FROM attempt a WHERE a.id = ?1";
static const char sql_resolution_put[] =
    "INSERT INTO resolution(attempt_id, decision, reason, by_user, by_role,"
    " at, audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_referral_close[] =
    "DELETE FROM referral_open WHERE attempt_id = ?1";

enum sarhad_status
sarhad__recorded_load(struct sarhad_store *store, int64_t attempt_id,
                      struct sarhad__recorded *r, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_recorded, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    memset(r, 0, sizeof(*r));
    sqlite3_bind_int64(st, 1, attempt_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sarhad__strlcpy(r->day, sarhad__col_text(st, 0), sizeof(r->day));
        sarhad__strlcpy(r->post, sarhad__col_text(st, 1), sizeof(r->post));
        sarhad__strlcpy(r->crossing, sarhad__col_text(st, 2),
                        sizeof(r->crossing));
        sarhad__strlcpy(r->direction, sarhad__col_text(st, 3),
                        sizeof(r->direction));
        sarhad__strlcpy(r->nationality, sarhad__col_text(st, 4),
                        sizeof(r->nationality));
        r->traveller_id = sqlite3_column_int64(st, 5);
        sarhad__strlcpy(r->visa_key, sarhad__col_text(st, 6),
                        sizeof(r->visa_key));
        r->allowed_days = sqlite3_column_int(st, 7);
        sarhad__strlcpy(r->decision, sarhad__col_text(st, 8),
                        sizeof(r->decision));
        r->referred = sqlite3_column_int(st, 9) != 0;
        r->resolved = sqlite3_column_int(st, 10) != 0;
        r->latest = sqlite3_column_int(st, 11) != 0;
        sarhad__strlcpy(r->purpose, sarhad__col_text(st, 12),
                        sizeof(r->purpose));
        sarhad__strlcpy(r->intended_stay, sarhad__col_text(st, 13),
                        sizeof(r->intended_stay));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "attempt", SIZE_MAX,
                            "there is no attempt %lld", (long long)attempt_id);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the attempt", err);
    return SARHAD_OK;
}

void
sarhad__recorded_admit(const struct sarhad_ledger *ledger,
                       const struct sarhad__recorded *r, int64_t attempt_id,
                       struct sarhad__admit *a)
{
    memset(a, 0, sizeof(*a));
    a->attempt_id = attempt_id;
    a->traveller_id = r->traveller_id;
    a->post = r->post;
    a->crossing = r->crossing;
    a->nationality = r->nationality;
    a->direction =
        strcmp(r->direction, "exit") == 0 ? SARHAD_EXIT : SARHAD_ENTRY;
    memcpy(a->day, r->day, sizeof(a->day));
    a->visa_key = r->visa_key;
    a->allowed_days = r->allowed_days;
    a->por = NULL; /* read back from the recorded presentation */
    a->citizen = strcmp(r->nationality, ledger->citizen) == 0;
}

enum sarhad_status
sarhad__record_resolution(struct sarhad_store *store, int64_t attempt_id,
                          const char *decision, const char *reason,
                          const struct sarhad_actor *who, int64_t now,
                          const char *kind, int64_t *seq,
                          struct sarhad_error *err)
{
    struct sarhad__buf detail = {0};
    enum sarhad_status s;
    sqlite3_stmt *st;
    char subject[40];

    sarhad__buf_printf(&detail,
                       "{\"attempt\":%lld,\"decision\":\"%s\","
                       "\"reason\":",
                       (long long)attempt_id, decision);
    sarhad__buf_json_str(&detail, reason);
    sarhad__buf_puts(&detail, "}");
    snprintf(subject, sizeof(subject), "attempt:%lld", (long long)attempt_id);
    if (detail.failed)
        s = sarhad__fail(err, SARHAD_ENOMEM, kind, SIZE_MAX, NULL);
    else
        s = sarhad__audit_append(store, who, now, kind, subject, detail.data,
                                 seq, err);
    sarhad__buf_free(&detail);
    if (s != SARHAD_OK)
        return s;
    st = sarhad__store_prepare(store, sql_resolution_put, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_text(st, 2, decision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, who->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, who->role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, *seq);
    return sarhad__store_step_done(store, st, "record the resolution", err);
}

static enum sarhad_status
resolve_in(struct sarhad_ledger *ledger, int64_t attempt_id,
           enum sarhad_outcome outcome, const char *reason,
           const struct sarhad_actor *who, int64_t now, int64_t *seq_out,
           struct sarhad_error *err)
{
    struct sarhad_store *store = ledger->store;
    const char *name = sarhad_outcome_name(outcome);
    struct sarhad__item_tallies tallies;
    struct sarhad__recorded r;
    const char *daily_refer[6] = {r.day,       r.post,        r.crossing,
                                  r.direction, r.nationality, "refer"};
    const char *daily_final[6] = {r.day,       r.post,        r.crossing,
                                  r.direction, r.nationality, name};
    const char *refusal[5] = {r.day, r.post, r.crossing, r.nationality,
                              "referral_refused"};
    enum sarhad_status s;
    sqlite3_stmt *st;
    int64_t seq = 0;

    s = sarhad__recorded_load(store, attempt_id, &r, err);
    if (s == SARHAD_OK && !r.referred)
        s = sarhad__fail(err, SARHAD_ENOTFOUND, "attempt", SIZE_MAX,
                         "attempt %lld is not a referral",
                         (long long)attempt_id);
    if (s == SARHAD_OK && r.resolved)
        s = sarhad__fail(err, SARHAD_EEXIST, "attempt", SIZE_MAX,
                         "referral %lld is already resolved",
                         (long long)attempt_id);
    if (s != SARHAD_OK)
        return s;
    /* The daily figures count each attempt once, by its final outcome. */
    tallies.n = 0;
    s = sarhad__tally_daily(&tallies, daily_refer, -1, err);
    if (s == SARHAD_OK)
        s = sarhad__tally_daily(&tallies, daily_final, 1, err);
    if (s == SARHAD_OK && outcome == SARHAD_REFUSE)
        s = sarhad__tally_refusal(&tallies, refusal, 1, err);
    if (s == SARHAD_OK && outcome == SARHAD_ADMIT)
        s = sarhad__tally_purpose(&tallies, daily_final, r.purpose,
                                  r.intended_stay, 1, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__record_resolution(store, attempt_id, name, reason, who, now,
                                  "resolution", &seq, err);
    if (s == SARHAD_OK) {
        st = sarhad__store_prepare(store, sql_referral_close, err);
        if (st == NULL)
            return SARHAD__PREP_FAIL(err);
        sqlite3_bind_int64(st, 1, attempt_id);
        s = sarhad__store_step_done(store, st, "close the referral", err);
    }
    for (unsigned i = 0; s == SARHAD_OK && i < tallies.n; i++)
        s = sarhad__tally_write(store, &tallies.t[i], err);
    if (s == SARHAD_OK && outcome == SARHAD_ADMIT) {
        struct sarhad__admit a;
        sarhad__recorded_admit(ledger, &r, attempt_id, &a);
        s = sarhad__admit_effects(store, ledger->memo, &a, err);
    }
    if (s == SARHAD_OK && seq_out != NULL)
        *seq_out = seq;
    return s;
}

static bool
blank(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Check a supervisor's outcome (admit or refuse), its written reason and
 * that who may give it ("only a supervisor may WHAT"). */
static enum sarhad_status
supervisor_outcome(const struct sarhad_actor *who, enum sarhad_outcome outcome,
                   const char *reason, const char *what,
                   struct sarhad_error *err)
{
    if (who == NULL || reason == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "reason", SIZE_MAX,
                            "a reason and an actor are required");
    if (strcmp(who->role, "supervisor") != 0 && strcmp(who->role, "admin") != 0)
        return sarhad__fail(err, SARHAD_EPERM, "role", SIZE_MAX,
                            "only a supervisor may %s", what);
    if (outcome != SARHAD_ADMIT && outcome != SARHAD_REFUSE)
        return sarhad__fail(err, SARHAD_EINVAL, "decision", SIZE_MAX,
                            "the outcome is admit or refuse");
    if (blank(reason) || strlen(reason) > SARHAD_LEDGER_REASON_MAX)
        return sarhad__fail(err, SARHAD_EINVAL, "reason", SIZE_MAX,
                            "a written reason of 1-%d bytes is required",
                            SARHAD_LEDGER_REASON_MAX);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__supervisor_apply(struct sarhad_ledger *ledger, int64_t attempt_id,
                         enum sarhad_outcome outcome, const char *reason,
                         const struct sarhad_actor *who, int64_t now,
                         int64_t *seq, const char *what,
                         sarhad__outcome_in_fn apply, struct sarhad_error *err)
{
    enum sarhad_status s;

    if (ledger == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "ledger", SIZE_MAX,
                            "a ledger is required");
    s = supervisor_outcome(who, outcome, reason, what, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__store_write_begin(ledger->store, err);
    if (s != SARHAD_OK)
        return s;
    /* The admission's effects read the memo, as a crossing's do. */
    sarhad__memo_sync(ledger->memo, ledger->store);
    s = apply(ledger, attempt_id, outcome, reason, who, now, seq, err);
    if (s == SARHAD_OK)
        return sarhad__store_write_end(ledger->store, true, err);
    sarhad__store_write_end(ledger->store, false, NULL);
    return s;
}

enum sarhad_status
sarhad_ledger_resolve(struct sarhad_ledger *ledger, int64_t attempt_id,
                      enum sarhad_outcome outcome, const char *reason,
                      const struct sarhad_actor *who, int64_t now, int64_t *seq,
                      struct sarhad_error *err)
{
    return sarhad__supervisor_apply(ledger, attempt_id, outcome, reason, who,
                                    now, seq, "resolve a referral", resolve_in,
                                    err);
}

/* ---- lookups ---- */

static const char sql_attempt_get[] =
    "SELECT a.id, a.post, a.crossing, a.counter, a.officer, a.direction,"
    " a.time, a.recorded_at, a.traveller_id, a.presentation, a.decision_json,"
    " m.category, m.documentation, m.household, m.household_size, m.sex,"
    " m.age_band, m.vulnerabilities, m.vehicles, m.intended_stay,"
    " r.decision, r.reason, r.by_user, r.at, m.attempt_id IS NOT NULL,"
    " r.attempt_id IS NOT NULL, a.decision = 'refer', m.arrest_province,"
    " m.days_held, a.audit_seq, lower(hex(al.hash)), r.audit_seq,"
    " lower(hex(rl.hash))"
    " FROM attempt a LEFT JOIN movement m ON m.attempt_id = a.id"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " LEFT JOIN audit_log al ON al.seq = a.audit_seq"
    " LEFT JOIN audit_log rl ON rl.seq = r.audit_seq WHERE a.id = ?1";

static void
field(struct sarhad__buf *b, const char *key, sqlite3_stmt *st, int col)
{
    sarhad__buf_printf(b, ",\"%s\":", key);
    if (sqlite3_column_type(st, col) == SQLITE_INTEGER)
        sarhad__buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, col));
    else
        sarhad__buf_json_str(b, sarhad__col_text(st, col));
}

static void
utc(struct sarhad__buf *b, const char *key, int64_t unix_seconds)
{
    struct sarhad_time t = sarhad_time_from_unix(unix_seconds, 0);
    char text[26];

    sarhad_time_format(text, &t);
    sarhad__buf_printf(b, ",\"%s\":\"%s\"", key, text);
}

/* The audit entry that recorded it (seq in column col, its hash in the
 * next), by which a printed notice or an auditor finds it in the chain. */
static void
audit_link(struct sarhad__buf *b, sqlite3_stmt *st, int col)
{
    sarhad__buf_puts(b, ",\"audit\":");
    if (sqlite3_column_type(st, col + 1) != SQLITE_TEXT) {
        sarhad__buf_puts(b, "null");
        return;
    }
    sarhad__buf_printf(b, "{\"seq\":%lld",
                       (long long)sqlite3_column_int64(st, col));
    field(b, "hash", st, col + 1);
    sarhad__buf_puts(b, "}");
}

static void
attempt_json(struct sarhad__buf *b, sqlite3_stmt *st)
{
    sarhad__buf_printf(b, "{\"id\":%lld",
                       (long long)sqlite3_column_int64(st, 0));
    field(b, "post", st, 1);
    field(b, "crossing", st, 2);
    field(b, "counter", st, 3);
    field(b, "officer", st, 4);
    field(b, "direction", st, 5);
    field(b, "time", st, 6);
    utc(b, "recorded_at", sqlite3_column_int64(st, 7));
    field(b, "traveller", st, 8);
    sarhad__buf_puts(b, ",\"presentation\":");
    sarhad__buf_puts(b, sarhad__col_text(st, 9));
    sarhad__buf_puts(b, ",\"decision\":");
    sarhad__buf_puts(b, sarhad__col_text(st, 10));
    audit_link(b, st, 29);
    if (sqlite3_column_int(st, 24)) {
        static const char *const keys[] = {
            "category", "documentation",   "household", "household_size", "sex",
            "age_band", "vulnerabilities", "vehicles",  "intended_stay"};
        sarhad__buf_puts(b, ",\"movement\":{\"category\":");
        sarhad__buf_json_str(b, sarhad__col_text(st, 11));
        for (int i = 1; i < 9; i++)
            field(b, keys[i], st, 11 + i);
        /* A deportee's arrest, where the exit names one. */
        if (sarhad__col_text(st, 27)[0] != '\0')
            field(b, "arrest_province", st, 27);
        if (sqlite3_column_type(st, 28) == SQLITE_INTEGER)
            field(b, "days_held", st, 28);
        sarhad__buf_puts(b, "}");
    }
    sarhad__buf_puts(b, ",\"resolution\":");
    if (sqlite3_column_int(st, 25)) {
        /* A referral is resolved; any other decision is overridden. */
        sarhad__buf_puts(b, sqlite3_column_int(st, 26)
                                ? "{\"kind\":\"resolution\",\"decision\":"
                                : "{\"kind\":\"override\",\"decision\":");
        sarhad__buf_json_str(b, sarhad__col_text(st, 20));
        field(b, "reason", st, 21);
        field(b, "by", st, 22);
        utc(b, "at", sqlite3_column_int64(st, 23));
        audit_link(b, st, 31);
        sarhad__buf_puts(b, "}");
    } else {
        sarhad__buf_puts(b, "null");
    }
    sarhad__buf_puts(b, "}");
}

enum sarhad_status
sarhad_ledger_attempt(struct sarhad_store *store, int64_t attempt_id,
                      void (*fn)(void *ctx, const char *json, size_t len),
                      void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_attempt_get, err);
    struct sarhad__buf b = {0};
    enum sarhad_status s = SARHAD_OK;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, attempt_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        attempt_json(&b, st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        s = sarhad__fail(err, SARHAD_ENOTFOUND, "attempt", SIZE_MAX,
                         "no attempt %lld", (long long)attempt_id);
    else if (rc != SQLITE_ROW)
        s = sarhad__store_fail(store->db, rc, "read the attempt", err);
    else if (b.failed)
        s = sarhad__fail(err, SARHAD_ENOMEM, "attempt", SIZE_MAX, NULL);
    else
        fn(ctx, b.data, b.len);
    sarhad__buf_free(&b);
    return s;
}
