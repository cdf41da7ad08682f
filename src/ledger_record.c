/*
 * ledger_record.c - what an admitted crossing changes, and the history a
 * decision is made with.  An admitted entry opens a stay (closing, as
 * "lost", a stay still open from a missed exit) and uses one entry of its
 * visa; an admitted exit closes the open stay, counts in the returns
 * summary with its documentation status, and cancels a returning refugee's
 * PoR card.  These run inside the caller's transaction, for a direct admit
 * and for a referral resolved as admit alike.
 */
#include "ledger.h"

#include <string.h>

const char *
sarhad__col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);

    return v != NULL ? (const char *)v : "";
}

static const char sql_stays[] =
    "SELECT entry_day, exit_day, allowed_days FROM stay"
    " WHERE traveller_id = ?1 AND state != 'lost' ORDER BY id DESC LIMIT ?2";
static const char sql_visa_used[] =
    "SELECT entries_used FROM visa WHERE key = ?1";

static struct sarhad_date
text_date(const char *s)
{
    struct sarhad_date d = {0, 0, 0};

    if (s[0] != '\0' && sarhad_date_parse(&d, s, strlen(s), NULL) != SARHAD_OK)
        d.year = 0;
    return d;
}

static enum sarhad_status
read_stays(struct sarhad_store *store, struct sarhad__memo *memo,
           int64_t traveller_id, struct sarhad_history *out,
           struct sarhad_error *err)
{
    struct sarhad_stay stays[SARHAD_MAX_STAYS];
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_stays, err);
    unsigned n = 0;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, traveller_id);
    sqlite3_bind_int(st, 2, SARHAD_MAX_STAYS);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < SARHAD_MAX_STAYS) {
        stays[n].entry = text_date(sarhad__col_text(st, 0));
        stays[n].exit = text_date(sarhad__col_text(st, 1));
        stays[n].allowed_days = sqlite3_column_int(st, 2);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the stays", err);
    for (unsigned i = 0; i < n; i++) /* most recent last */
        out->stays[i] = stays[n - 1 - i];
    out->stay_count = n;
    sarhad__memo_stays_put(memo, traveller_id, out->stays, n);
    return SARHAD_OK;
}

static enum sarhad_status
read_visa(struct sarhad_store *store, struct sarhad__memo *memo,
          struct sarhad__identity *id, struct sarhad_history *out,
          struct sarhad_error *err)
{
    int64_t v[2] = {0, 0};
    sqlite3_stmt *st;
    int rc;

    if (!sarhad__memo_get(memo, SARHAD__MEMO_VISA, id->visa_key, v)) {
        st = sarhad__store_prepare(store, sql_visa_used, err);
        if (st == NULL)
            return SARHAD__PREP_FAIL(err);
        sqlite3_bind_text(st, 1, id->visa_key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            v[0] = 1;
            v[1] = sqlite3_column_int(st, 0);
            rc = sqlite3_step(st);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return sarhad__store_fail(store->db, rc, "read the visa", err);
        sarhad__memo_put(memo, SARHAD__MEMO_VISA, id->visa_key, v);
    }
    id->visa_known = v[0] != 0;
    out->visa_entries_used = (unsigned)v[1];
    return SARHAD_OK;
}

enum sarhad_status
sarhad__history_load(struct sarhad_store *store, struct sarhad__memo *memo,
                     struct sarhad__identity *id, struct sarhad_history *out,
                     struct sarhad_error *err)
{
    enum sarhad_status s = SARHAD_OK;

    out->known = true;
    out->visa_entries_used = 0;
    out->stay_count = 0;
    if (id->traveller_id != 0) {
        const struct sarhad__memo_stays *m =
            sarhad__memo_stays(memo, id->traveller_id);
        if (m != NULL && !m->stale) {
            memcpy(out->stays, m->stays, sizeof(m->stays[0]) * m->count);
            out->stay_count = m->count;
        } else {
            s = read_stays(store, memo, id->traveller_id, out, err);
        }
        /* Only the newest stay can be open: a later entry marks it lost. */
        id->stay_open = s == SARHAD_OK && out->stay_count > 0 &&
                        out->stays[out->stay_count - 1].exit.year == 0;
    }
    if (s == SARHAD_OK && id->visa_key[0] != '\0')
        s = read_visa(store, memo, id, out, err);
    return s;
}

static const char sql_por_get[] =
    "SELECT 1 FROM por_cancelled WHERE number = ?1";

void
sarhad__por_number(char out[32], const struct sarhad_presentation *p)
{
    size_t n = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < p->document_count; i++) {
        const char *s = p->documents[i].number;
        if (p->documents[i].kind != SARHAD_DOC_POR)
            continue;
        for (; *s != '\0' && n < 31; s++)
            if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z'))
                out[n++] = *s;
            else if (*s >= 'a' && *s <= 'z')
                out[n++] = (char)(*s - 'a' + 'A');
        out[n] = '\0';
        return;
    }
}

enum sarhad_status
sarhad__por_is_cancelled(struct sarhad_store *store, struct sarhad__memo *memo,
                         const struct sarhad_presentation *p, bool *cancelled,
                         struct sarhad_error *err)
{
    char number[32];
    int64_t v[2] = {0, 0};
    sqlite3_stmt *st;
    int rc;

    *cancelled = false;
    sarhad__por_number(number, p);
    if (number[0] == '\0')
        return SARHAD_OK;
    if (sarhad__memo_get(memo, SARHAD__MEMO_POR, number, v)) {
        *cancelled = v[0] != 0;
        return SARHAD_OK;
    }
    st = sarhad__store_prepare(store, sql_por_get, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *cancelled = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the PoR cards", err);
    v[0] = *cancelled;
    sarhad__memo_put(memo, SARHAD__MEMO_POR, number, v);
    return SARHAD_OK;
}

static const char sql_daily[] =
    "INSERT INTO daily_summary(day, post, crossing, direction, nationality,"
    " decision, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count";

const char *
sarhad__documentation(const struct sarhad_presentation *p)
{
    bool passport = false, visa = false, por = false, acc = false;

    for (unsigned i = 0; i < p->document_count; i++) {
        switch (p->documents[i].kind) {
        case SARHAD_DOC_PASSPORT:
            passport = true;
            break;
        case SARHAD_DOC_VISA:
            visa = true;
            break;
        case SARHAD_DOC_POR:
            por = true;
            break;
        case SARHAD_DOC_ACC:
            acc = true;
            break;
        default:
            break;
        }
    }
    /* UNHCR-IOM count a registered refugee as PoR whatever else they
     * carry; a tazkira alone is an identity, not a stay document. */
    if (por)
        return "por";
    if (acc)
        return "acc";
    if (passport && visa)
        return "passport_visa";
    return "undocumented";
}

const char *
sarhad__age_band(struct sarhad_date birth, struct sarhad_date day)
{
    int age;

    if (birth.year == 0 || day.year == 0)
        return "unknown";
    age = day.year - birth.year;
    if (day.month < birth.month ||
        (day.month == birth.month && day.day < birth.day))
        age--;
    if (age < 0)
        return "unknown";
    if (age < 5)
        return "0-4";
    if (age < 18)
        return "5-17";
    if (age < 60)
        return "18-59";
    return "60+";
}

static const char sql_stay_lose[] =
    "UPDATE stay SET state = 'lost' WHERE traveller_id = ?1"
    " AND state = 'open'";
static const char sql_stay_open[] =
    "INSERT INTO stay(traveller_id, entry_attempt, entry_day, allowed_days,"
    " visa_key, post, crossing, nationality, state)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open')";
static const char sql_stay_close[] =
    "UPDATE stay SET state = 'closed', exit_attempt = ?2, exit_day = ?3"
    " WHERE traveller_id = ?1 AND state = 'open' AND entry_day <= ?3";
static const char sql_visa_use[] =
    "UPDATE visa SET entries_used = entries_used + 1,"
    " first_entry = coalesce(first_entry, ?2), last_entry = ?2"
    " WHERE key = ?1";
static const char sql_returns[] =
    "INSERT INTO returns_summary(day, post, crossing, documentation,"
    " category, sex, age_band, count, vehicles, vulnerable)"
    " SELECT ?1, ?2, ?3, documentation, category, sex, age_band, 1,"
    " vehicles, vulnerabilities != 0 FROM movement WHERE attempt_id = ?4"
    " ON CONFLICT DO UPDATE SET count = count + 1,"
    " vehicles = vehicles + excluded.vehicles,"
    " vulnerable = vulnerable + excluded.vulnerable";
static const char sql_returns_daily[] =
    "INSERT INTO returns_daily(day, post, crossing, documentation, category,"
    " count, children, women, men, vehicles, vulnerable)"
    " SELECT ?1, ?2, ?3, documentation, category, 1,"
    " age_band IN ('0-4', '5-17'),"
    " sex = 'F' AND age_band NOT IN ('0-4', '5-17'),"
    " sex = 'M' AND age_band NOT IN ('0-4', '5-17'),"
    " vehicles, vulnerabilities != 0 FROM movement WHERE attempt_id = ?4"
    " ON CONFLICT DO UPDATE SET count = count + 1,"
    " children = children + excluded.children,"
    " women = women + excluded.women, men = men + excluded.men,"
    " vehicles = vehicles + excluded.vehicles,"
    " vulnerable = vulnerable + excluded.vulnerable";
static const char sql_vulnerabilities[] =
    "INSERT INTO vulnerability_daily(day, post, crossing, category,"
    " vulnerability, count) SELECT ?1, ?2, ?3, m.category, v.name, 1"
    " FROM movement m JOIN " SARHAD__VULNERABILITY_TABLE
    " ON (m.vulnerabilities & v.bit) != 0 WHERE m.attempt_id = ?4"
    " ON CONFLICT DO UPDATE SET count = count + 1";
static const char sql_detentions[] =
    "INSERT INTO detention_daily(day, post, crossing, province,"
    " documentation, category, count, held_days, dated)"
    " SELECT ?1, ?2, ?3, " SARHAD__ARREST_PROVINCE ", m.documentation,"
    " m.category, 1, coalesce(m.days_held, 0), m.days_held IS NOT NULL"
    " FROM movement m WHERE m.attempt_id = ?4 AND " SARHAD__DETAINED
    " ON CONFLICT DO UPDATE SET count = count + 1,"
    " held_days = held_days + excluded.held_days,"
    " dated = dated + excluded.dated";
static const char sql_por_cancel[] =
    "INSERT OR IGNORE INTO por_cancelled(number, attempt_id, day)"
    " SELECT ?1, ?2, ?3 FROM movement WHERE attempt_id = ?2"
    " AND category != 'regular'";
static const char sql_attempt_por[] =
    "SELECT json_extract(value, '$.number') FROM attempt,"
    " json_each(attempt.presentation, '$.documents')"
    " WHERE attempt.id = ?1 AND json_extract(value, '$.kind') = 'por'";

static enum sarhad_status
bind_run(struct sarhad_store *store, const char *sql, const char *what,
         int64_t id, const char *t2, const char *t3, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql, err);

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, id);
    if (t2 != NULL)
        sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
    if (t3 != NULL)
        sqlite3_bind_text(st, 3, t3, -1, SQLITE_STATIC);
    return sarhad__store_step_done(store, st, what, err);
}

static enum sarhad_status
admit_entry(struct sarhad_store *store, struct sarhad__memo *memo,
            const struct sarhad__admit *a, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s;

    if (a->citizen)
        return SARHAD_OK;
    if (a->traveller_id != 0) {
        s = a->no_open_stay
                ? SARHAD_OK
                : bind_run(store, sql_stay_lose, "close a lost stay",
                           a->traveller_id, NULL, NULL, err);
        if (s != SARHAD_OK)
            return s;
        st = sarhad__store_prepare(store, sql_stay_open, err);
        if (st == NULL)
            return SARHAD__PREP_FAIL(err);
        sqlite3_bind_int64(st, 1, a->traveller_id);
        sqlite3_bind_int64(st, 2, a->attempt_id);
        sqlite3_bind_text(st, 3, a->day, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, a->allowed_days);
        sqlite3_bind_text(st, 5, a->visa_key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, a->post, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, a->crossing, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, a->nationality, -1, SQLITE_STATIC);
        s = sarhad__store_step_done(store, st, "open a stay", err);
        if (s != SARHAD_OK)
            return s;
        sarhad__memo_stay_open(sarhad__memo_stays(memo, a->traveller_id),
                               text_date(a->day), a->allowed_days);
    }
    if (a->visa_key[0] == '\0')
        return SARHAD_OK;
    st = sarhad__store_prepare(store, sql_visa_use, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, a->visa_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->day, -1, SQLITE_STATIC);
    s = sarhad__store_step_done(store, st, "count a visa entry", err);
    if (s == SARHAD_OK) {
        int64_t v[2];
        if (sarhad__memo_get(memo, SARHAD__MEMO_VISA, a->visa_key, v) &&
            v[0] != 0) {
            v[1]++;
            sarhad__memo_put(memo, SARHAD__MEMO_VISA, a->visa_key, v);
        }
    }
    return s;
}

static enum sarhad_status
cancel_por(struct sarhad_store *store, struct sarhad__memo *memo,
           const struct sarhad__admit *a, const char *number,
           struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_por_cancel, err);
    static const int64_t cancelled[2] = {1, 0};
    enum sarhad_status s;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, a->attempt_id);
    sqlite3_bind_text(st, 3, a->day, -1, SQLITE_STATIC);
    s = sarhad__store_step_done(store, st, "cancel a PoR card", err);
    /* No row for a regular exit (nothing changes), nor for a card
     * cancelled before (already remembered as such, or not at all). */
    if (s == SARHAD_OK && sqlite3_changes(store->db) > 0)
        sarhad__memo_put(memo, SARHAD__MEMO_POR, number, cancelled);
    return s;
}

/* Run one of the statements that count an admitted exit from its movement
 * row: ?1 day, ?2 post, ?3 crossing, ?4 the attempt. */
static enum sarhad_status
count_exit(struct sarhad_store *store, const char *sql,
           const struct sarhad__admit *a, const char *what,
           struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql, err);

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, a->day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->post, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->crossing, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, a->attempt_id);
    return sarhad__store_step_done(store, st, what, err);
}

static enum sarhad_status
returns_rows(struct sarhad_store *store, const struct sarhad__admit *a,
             struct sarhad_error *err)
{
    enum sarhad_status s =
        count_exit(store, sql_returns, a, "update the returns summary", err);

    if (s == SARHAD_OK)
        s = count_exit(store, sql_returns_daily, a, "update the daily returns",
                       err);
    if (s == SARHAD_OK)
        s = count_exit(store, sql_vulnerabilities, a,
                       "count the vulnerabilities", err);
    if (s == SARHAD_OK)
        s = count_exit(store, sql_detentions, a, "count the detentions", err);
    if (s == SARHAD_OK)
        s = sarhad__household_count(store, a->attempt_id, a->day, a->post,
                                    a->crossing, 1, err);
    return s;
}

/* Could this exit close a stay?  The memo often knows there is no open
 * one (most returnees never entered on record), sparing the update. */
static bool
may_close(const struct sarhad__memo *memo, const struct sarhad__admit *a)
{
    const struct sarhad__memo_stays *m =
        sarhad__memo_stays(memo, a->traveller_id);
    const struct sarhad_stay *last;

    if (m == NULL || m->stale)
        return true;
    if (m->count == 0)
        return false;
    last = &m->stays[m->count - 1];
    return last->exit.year == 0 &&
           sarhad_date_cmp(last->entry, text_date(a->day)) <= 0;
}

static enum sarhad_status
admit_exit(struct sarhad_store *store, struct sarhad__memo *memo,
           const struct sarhad__admit *a, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = SARHAD_OK;
    int64_t v[2];
    int rc;

    if (may_close(memo, a) && a->traveller_id != 0 && !a->citizen) {
        st = sarhad__store_prepare(store, sql_stay_close, err);
        if (st == NULL)
            return SARHAD__PREP_FAIL(err);
        sqlite3_bind_int64(st, 1, a->traveller_id);
        sqlite3_bind_int64(st, 2, a->attempt_id);
        sqlite3_bind_text(st, 3, a->day, -1, SQLITE_STATIC);
        s = sarhad__store_step_done(store, st, "close a stay", err);
        if (s != SARHAD_OK)
            return s;
        sarhad__memo_stay_close(sarhad__memo_stays(memo, a->traveller_id),
                                text_date(a->day));
    }
    s = a->returns_tallied ? SARHAD_OK : returns_rows(store, a, err);
    if (s != SARHAD_OK)
        return s;
    if (a->por != NULL) {
        /* A regular exit keeps its card; one cancelled before stays so. */
        if (a->por[0] == '\0' || a->regular ||
            (sarhad__memo_get(memo, SARHAD__MEMO_POR, a->por, v) && v[0] != 0))
            return SARHAD_OK;
        return cancel_por(store, memo, a, a->por, err);
    }
    /* The PoR card is punched on return; its number is read back from the
     * recorded presentation so a resolution needs nothing else. */
    st = sarhad__store_prepare(store, sql_attempt_por, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, a->attempt_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct sarhad_presentation probe;
        char number[32];
        memset(&probe, 0, sizeof(probe));
        probe.document_count = 1;
        probe.documents[0].kind = SARHAD_DOC_POR;
        sarhad__strlcpy(probe.documents[0].number, sarhad__col_text(st, 0),
                        sizeof(probe.documents[0].number));
        sqlite3_reset(st);
        sarhad__por_number(number, &probe);
        if (number[0] != '\0')
            s = cancel_por(store, memo, a, number, err);
        return s;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the PoR card", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__admit_effects(struct sarhad_store *store, struct sarhad__memo *memo,
                      const struct sarhad__admit *a, struct sarhad_error *err)
{
    return a->direction == SARHAD_ENTRY ? admit_entry(store, memo, a, err)
                                        : admit_exit(store, memo, a, err);
}

/* ---- batch tallies: the same increments as the upserts above, counted
 * in memory (store_tally.c) and written once per row at commit ---- */

static const char sql_refusal_add[] =
    "INSERT INTO refusal_summary(day, post, crossing, nationality, code,"
    " count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count";
static const char sql_returns_add[] =
    "INSERT INTO returns_summary(day, post, crossing, documentation,"
    " category, sex, age_band, count, vehicles, vulnerable)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count,"
    " vehicles = vehicles + excluded.vehicles,"
    " vulnerable = vulnerable + excluded.vulnerable";
static const char sql_returns_daily_add[] =
    "INSERT INTO returns_daily(day, post, crossing, documentation, category,"
    " count, children, women, men, vehicles, vulnerable)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count,"
    " children = children + excluded.children,"
    " women = women + excluded.women, men = men + excluded.men,"
    " vehicles = vehicles + excluded.vehicles,"
    " vulnerable = vulnerable + excluded.vulnerable";
/* A household's members; family_daily follows by its triggers. */
static const char sql_household_add[] =
    "INSERT INTO household_day(day, post, crossing, household, members)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT DO UPDATE SET members = members + excluded.members";
static const char sql_purpose_add[] =
    "INSERT INTO purpose_daily(day, post, crossing, direction, purpose,"
    " intended_stay, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count";
static const char sql_vulnerability_add[] =
    "INSERT INTO vulnerability_daily(day, post, crossing, category,"
    " vulnerability, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count";
static const char sql_detention_add[] =
    "INSERT INTO detention_daily(day, post, crossing, province,"
    " documentation, category, count, held_days, dated)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT DO UPDATE SET count = count + excluded.count,"
    " held_days = held_days + excluded.held_days,"
    " dated = dated + excluded.dated";
static const char sql_movement_household[] =
    "SELECT household FROM movement WHERE attempt_id = ?1";

static enum sarhad_status
stage(struct sarhad__item_tallies *it, const char *sql,
      const char *const *texts, unsigned ntext, const int64_t *v, unsigned nint,
      struct sarhad_error *err)
{
    if (it->n >= SARHAD__ITEM_TALLIES ||
        !sarhad__tally_set(&it->t[it->n], sql, texts, ntext, v, nint))
        return sarhad__fail(err, SARHAD_EINVAL, "summary", SIZE_MAX,
                            "a summary key does not fit");
    it->n++;
    return SARHAD_OK;
}

enum sarhad_status
sarhad__tally_daily(struct sarhad__item_tallies *it, const char *const key[6],
                    int delta, struct sarhad_error *err)
{
    const int64_t v[1] = {delta};

    return stage(it, sql_daily, key, 6, v, 1, err);
}

enum sarhad_status
sarhad__tally_refusal(struct sarhad__item_tallies *it, const char *const key[5],
                      int delta, struct sarhad_error *err)
{
    const int64_t v[1] = {delta};

    return stage(it, sql_refusal_add, key, 5, v, 1, err);
}

enum sarhad_status
sarhad__tally_purpose(struct sarhad__item_tallies *it, const char *const key[4],
                      const char *purpose, const char *intended_stay, int delta,
                      struct sarhad_error *err)
{
    const char *texts[6] = {key[0],
                            key[1],
                            key[2],
                            key[3],
                            purpose[0] ? purpose : "not stated",
                            intended_stay[0] ? intended_stay : "not stated"};
    const int64_t v[1] = {delta};

    return stage(it, sql_purpose_add, texts, 6, v, 1, err);
}

bool
sarhad__detained(const struct sarhad_movement_info *m)
{
    return m->category == SARHAD_MOVE_DEPORTATION ||
           m->arrest_province != SARHAD_PROVINCE_NONE ||
           m->arrested_on.year != 0;
}

int
sarhad__days_held(const struct sarhad_presentation *p)
{
    if (p->movement.arrested_on.year == 0)
        return -1;
    return (int)(sarhad_date_to_days(p->time.date) -
                 sarhad_date_to_days(p->movement.arrested_on));
}

/* What the movement row of an exit (put_movement) feeds the returns
 * summaries and the household count, read from the presentation it was
 * made from. */
enum sarhad_status
sarhad__tally_returns(struct sarhad__item_tallies *it, const char *day,
                      const char *post, const char *crossing,
                      const struct sarhad_presentation *p,
                      struct sarhad_error *err)
{
    const struct sarhad_movement_info *m = &p->movement;
    char sex[2] = {'X', '\0'};
    const char *band = sarhad__age_band(p->traveller.birth_date, p->time.date);
    bool child = strcmp(band, "0-4") == 0 || strcmp(band, "5-17") == 0;
    const char *fine[7] = {day,
                           post,
                           crossing,
                           sarhad__documentation(p),
                           sarhad_movement_name(m->category),
                           sex,
                           band};
    int64_t vulnerable = m->vulnerabilities != 0;
    int64_t v[6] = {1, m->vehicles, vulnerable, 0, 0, 0};
    const char *family[4] = {day, post, crossing, NULL};
    static const int64_t one[1] = {1};
    enum sarhad_status s;

    if (p->traveller.sex != 0)
        sex[0] = p->traveller.sex;
    s = stage(it, sql_returns_add, fine, 7, v, 3, err);
    if (s != SARHAD_OK)
        return s;
    v[1] = child;
    v[2] = sex[0] == 'F' && !child;
    v[3] = sex[0] == 'M' && !child;
    v[4] = m->vehicles;
    v[5] = vulnerable;
    s = stage(it, sql_returns_daily_add, fine, 5, v, 6, err);
    /* Each vulnerability flagged counts the person once under its name. */
    for (unsigned bit = 0; s == SARHAD_OK && sarhad_vulnerability_name(bit);
         bit++) {
        const char *key[5] = {day, post, crossing, fine[4],
                              sarhad_vulnerability_name(bit)};
        if (m->vulnerabilities & (1u << bit))
            s = stage(it, sql_vulnerability_add, key, 5, one, 1, err);
    }
    if (s == SARHAD_OK && sarhad__detained(m)) {
        const char *province = sarhad_province_name(m->arrest_province);
        const char *key[6] = {day, post, crossing, province, fine[3], fine[4]};
        int held = sarhad__days_held(p);
        const int64_t w[3] = {1, held < 0 ? 0 : held, held >= 0};
        if (province == NULL)
            key[3] = "not stated";
        s = stage(it, sql_detention_add, key, 6, w, 3, err);
    }
    if (s != SARHAD_OK || m->household[0] == '\0')
        return s;
    /* The household's members are summed like any tally: a family
     * crossing together in one group is one upsert. */
    family[3] = m->household;
    return stage(it, sql_household_add, family, 4, one, 1, err);
}

enum sarhad_status
sarhad__household_count(struct sarhad_store *store, int64_t attempt_id,
                        const char *day, const char *post, const char *crossing,
                        int delta, struct sarhad_error *err)
{
    sqlite3_stmt *st =
        sarhad__store_prepare(store, sql_movement_household, err);
    const char *key[4] = {day, post, crossing, NULL};
    const int64_t v[1] = {delta};
    struct sarhad__tally t;
    char household[sizeof(((struct sarhad_movement_info *)0)->household)] = "";
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, attempt_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sarhad__strlcpy(household, sarhad__col_text(st, 0), sizeof(household));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || (rc == SQLITE_ROW && household[0] == '\0'))
        return SARHAD_OK;
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the household", err);
    key[3] = household;
    if (!sarhad__tally_set(&t, sql_household_add, key, 4, v, 1))
        return sarhad__fail(err, SARHAD_EINVAL, "household", SIZE_MAX,
                            "a household key does not fit");
    return sarhad__tally_write(store, &t, err);
}
