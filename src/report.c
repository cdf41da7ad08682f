/*
 * report.c - the figures ministries and UNHCR/IOM publish, from the
 * ledger's summary tables (DOMAIN.md section 6): daily flows per post,
 * crossing, direction, nationality and decision; weekly returns by
 * documentation status and crossing, with children, women, vehicles and
 * vulnerable people (the flash-update table); refusals by reason; open
 * overstays by how far past their allowed stay they are; and each day's
 * returns by movement, sex and age band and by vulnerability, and its
 * crossings by purpose and intended stay (IOM's flow monitoring); the
 * Pakistani daily tallies with families; and the arrests and detentions by
 * province and documentation status (the flash updates).  The summaries are
 * kept in step with the events as they are recorded, so a report reads a few
 * thousand rows whatever the ledger's size.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

static const char *const daily_cols[] = {
    "day", "post", "crossing", "direction", "nationality", "decision", "count"};
static const char *const returns_cols[] = {
    "week",  "post",     "crossing",   "documentation", "movement", "children",
    "women", "vehicles", "vulnerable", "cumulative",    "count"};
static const char *const overstays_cols[] = {"post", "crossing", "nationality",
                                             "overstay", "count"};
static const char *const refusals_cols[] = {"reason", "post", "crossing",
                                            "nationality", "count"};
static const char *const tallies_cols[] = {"day",      "post",     "crossing",
                                           "families", "men",      "women",
                                           "children", "vehicles", "count"};
static const char *const purposes_cols[] = {
    "day",     "post",          "crossing", "direction",
    "purpose", "intended_stay", "count"};
static const char *const vulnerabilities_cols[] = {
    "day", "post", "crossing", "movement", "vulnerability", "count"};
static const char *const detentions_cols[] = {
    "week",     "post",           "crossing",   "province", "documentation",
    "movement", "mean_days_held", "cumulative", "count"};
static const char *const flows_cols[] = {"day",      "post",       "crossing",
                                         "movement", "sex",        "age_band",
                                         "vehicles", "vulnerable", "count"};

/* A row of any report fits struct sarhad_report_row. */
#define FITS(cols)                                                             \
    _Static_assert(SARHAD_COUNT_OF(cols) <= SARHAD_REPORT_MAX_COLUMNS,         \
                   #cols " has more columns than a report row holds")
FITS(daily_cols);
FITS(returns_cols);
FITS(overstays_cols);
FITS(refusals_cols);
FITS(tallies_cols);
FITS(purposes_cols);
FITS(flows_cols);
FITS(vulnerabilities_cols);
FITS(detentions_cols);

/* ?1 from, ?2 to ('' for no limit), ?3 post ('' for every post). */
static const char sql_daily[] =
    "SELECT day, post, crossing, direction, nationality, decision,"
    " sum(count) FROM daily_summary"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY day, post, crossing, direction, nationality, decision"
    " HAVING sum(count) > 0"
    " ORDER BY day, post, crossing, direction, nationality, decision";
/* Days (returns_daily, kept in step with the finer returns_summary) are
 * rolled into weeks, which run Monday to Sunday: the Sunday on or after
 * the day, less six.  Beside each week's returns, the cumulative count of
 * its row's series (post, crossing, documentation, movement) from the
 * report's first day, as the flash updates print it. */
static const char sql_returns[] =
    "SELECT week, post, crossing, documentation, category, children, women,"
    " vehicles, vulnerable, sum(n) OVER (PARTITION BY post, crossing,"
    " documentation, category ORDER BY week), n FROM ("
    "SELECT date(day, 'weekday 0', '-6 days') AS week, post, crossing,"
    " documentation, category, sum(children) AS children,"
    " sum(women) AS women, sum(vehicles) AS vehicles,"
    " sum(vulnerable) AS vulnerable, sum(count) AS n FROM returns_daily"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY week, post, crossing, documentation, category)"
    " ORDER BY week, post, crossing, documentation, category";
static const char sql_refusals[] =
    "SELECT code, post, crossing, nationality, sum(count)"
    " FROM refusal_summary"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY code, post, crossing, nationality"
    " ORDER BY sum(count) DESC, code, post, crossing, nationality";
/* Bands follow the 2020 fine table: under two weeks is free, then two to
 * four weeks, four weeks to three months, three months to a year. */
static const char sql_overstays[] =
    "SELECT post, crossing, nationality,"
    " CASE WHEN over < 14 THEN 'under 2 weeks'"
    " WHEN over < 28 THEN '2-4 weeks'"
    " WHEN over < 90 THEN '4 weeks-3 months'"
    " WHEN over < 365 THEN '3 months-1 year'"
    " ELSE 'over 1 year' END AS band, count(*)"
    " FROM (SELECT post, crossing, nationality,"
    " CAST(julianday(?2) - julianday(entry_day) AS INTEGER) + 1"
    " - allowed_days AS over"
    " FROM stay WHERE state = 'open' AND allowed_days > 0"
    " AND (?1 = '' OR entry_day >= ?1) AND entry_day <= ?2"
    " AND (?3 = '' OR post = ?3))"
    " WHERE over > 0 GROUP BY post, crossing, nationality, band"
    " ORDER BY post, crossing, nationality, min(over)";
/* The returns of each day by movement, sex and age band, as IOM's flow
 * monitoring counts them (DOMAIN.md section 6). */
static const char sql_flows[] =
    "SELECT day, post, crossing, category, sex, age_band, sum(vehicles),"
    " sum(vulnerable), sum(count) FROM returns_summary"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY day, post, crossing, category, sex, age_band"
    " HAVING sum(count) > 0"
    " ORDER BY day, post, crossing, category, sex, age_band";
/* The Pakistani daily tallies (DOMAIN.md section 6): each day's returns
 * per crossing as families, men, women, children, vehicles and
 * individuals.  Children are under 18; men and women the rest, as in the
 * returns report; a family is a household named on at least one of the
 * day's admitted exits there (household_day, counted in family_daily). */
static const char sql_tallies[] =
    "WITH r AS (SELECT day, post, crossing, sum(men) AS men,"
    " sum(women) AS women, sum(children) AS children,"
    " sum(vehicles) AS vehicles, sum(count) AS n FROM returns_daily"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY day, post, crossing HAVING n > 0)"
    " SELECT r.day, r.post, r.crossing, coalesce(f.families, 0), r.men,"
    " r.women, r.children, r.vehicles, r.n FROM r"
    " LEFT JOIN family_daily f ON f.day = r.day AND f.post = r.post"
    " AND f.crossing = r.crossing"
    " ORDER BY r.day, r.post, r.crossing";
/* Why people crossed and how long they meant to stay (IOM's flow
 * monitoring): each day's admitted crossings by crossing, direction,
 * purpose and intended stay. */
static const char sql_purposes[] =
    "SELECT day, post, crossing, direction, purpose, intended_stay,"
    " sum(count) FROM purpose_daily"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY day, post, crossing, direction, purpose, intended_stay"
    " HAVING sum(count) > 0"
    " ORDER BY day, post, crossing, direction, purpose, intended_stay";
/* The returns of each day by the vulnerabilities flagged (IOM's flow
 * monitoring): a person counts once under each of theirs. */
static const char sql_vulnerabilities[] =
    "SELECT day, post, crossing, category, vulnerability, sum(count)"
    " FROM vulnerability_daily"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY day, post, crossing, category, vulnerability"
    " HAVING sum(count) > 0"
    " ORDER BY day, post, crossing, category, vulnerability";
/* Arrests and detentions by province and documentation status, as the
 * flash updates print them: each week's returnees handed over from
 * detention (deportations, and exits that say where or when their
 * traveller was arrested) by crossing, province of arrest, documentation
 * and movement; the mean days held from the arrest to the exit, in whole
 * days, over those whose arrest is dated (empty when none is); and each
 * row's cumulative count from the report's first day. */
static const char sql_detentions[] =
    "SELECT week, post, crossing, province, documentation, category,"
    " CASE WHEN dated > 0 THEN CAST(round(1.0 * held / dated) AS INTEGER)"
    " END, sum(n) OVER (PARTITION BY post, crossing, province,"
    " documentation, category ORDER BY week), n FROM ("
    "SELECT date(day, 'weekday 0', '-6 days') AS week, post, crossing,"
    " province, documentation, category, sum(held_days) AS held,"
    " sum(dated) AS dated, sum(count) AS n FROM detention_daily"
    " WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
    " AND (?3 = '' OR post = ?3)"
    " GROUP BY week, post, crossing, province, documentation, category"
    " HAVING n > 0)"
    " ORDER BY week, post, crossing, province, documentation, category";
static const char sql_last_day[] = "SELECT max(day) FROM daily_summary";

struct report_def {
    const char *name;
    const char *const *cols;
    const char *sql;
    unsigned ncols;
    unsigned text_cols; /* leading text columns; the rest are numbers */
};

/* A report by its name: NAME_cols, sql_NAME, and its leading text columns. */
/* clang-format off */
#define REPORT(name, text_cols) \
    {#name, name##_cols, sql_##name, SARHAD_COUNT_OF(name##_cols), text_cols}
/* clang-format on */
static const struct report_def reports[] = {
    REPORT(daily, 6),    REPORT(returns, 5),         REPORT(overstays, 4),
    REPORT(refusals, 4), REPORT(flows, 6),           REPORT(tallies, 3),
    REPORT(purposes, 6), REPORT(vulnerabilities, 5), REPORT(detentions, 6),
};
#undef REPORT

bool
sarhad_report_kind_parse(enum sarhad_report_kind *out, const char *name)
{
    for (size_t i = 0; i < SARHAD_COUNT_OF(reports); i++) {
        if (name != NULL && strcmp(name, reports[i].name) == 0) {
            *out = (enum sarhad_report_kind)i;
            return true;
        }
    }
    return false;
}

const char *
sarhad_report_kind_name(enum sarhad_report_kind kind)
{
    return (size_t)kind < SARHAD_COUNT_OF(reports) ? reports[kind].name : NULL;
}

size_t
sarhad_report_kind_list(char *out, size_t size)
{
    size_t len = 0;

    if (size > 0)
        out[0] = '\0';
    for (size_t i = 0; i < SARHAD_COUNT_OF(reports); i++) {
        int n = snprintf(out + (len < size ? len : size),
                         len < size ? size - len : 0, "%s%s", i > 0 ? ", " : "",
                         reports[i].name);
        len += (size_t)n;
    }
    return len;
}

const char *const *
sarhad_report_columns(enum sarhad_report_kind kind, unsigned *count)
{
    if ((size_t)kind >= SARHAD_COUNT_OF(reports)) {
        *count = 0;
        return NULL;
    }
    *count = reports[kind].ncols;
    return reports[kind].cols;
}

unsigned
sarhad__report_text_columns(enum sarhad_report_kind kind)
{
    return (size_t)kind < SARHAD_COUNT_OF(reports) ? reports[kind].text_cols
                                                   : 0;
}

/* The day the ledger last recorded anything ("" when empty). */
static enum sarhad_status
last_day(struct sarhad_store *store, char out[11], struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_last_day, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    out[0] = '\0';
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sarhad__strlcpy(out, sarhad__col_text(st, 0), 11);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the ledger", err);
    return SARHAD_OK;
}

/* Run report def over the days from to to (YYYY-MM-DD, or "" for no
 * bound) at post ("" for every post), handing fn each row until it
 * returns false. */
static enum sarhad_status
run_report(struct sarhad_store *store, const struct report_def *def,
           const char *from, const char *to, const char *post,
           bool (*fn)(void *ctx, const struct sarhad_report_row *row),
           void *ctx, struct sarhad_error *err)
{
    struct sarhad_report_row row;
    sqlite3_stmt *st = sarhad__store_prepare(store, def->sql, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, post, -1, SQLITE_TRANSIENT);
    memset(&row, 0, sizeof(row));
    row.column_count = def->ncols;
    for (unsigned i = 0; i < def->ncols; i++) {
        row.names[i] = def->cols[i];
        row.is_number[i] = i >= def->text_cols;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (unsigned i = 0; i < def->ncols; i++)
            row.values[i] = (const char *)sqlite3_column_text(st, (int)i);
        if (!fn(ctx, &row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "make the report", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_report(struct sarhad_store *store, enum sarhad_report_kind kind,
                     const struct sarhad_report_filter *filter,
                     bool (*fn)(void *ctx, const struct sarhad_report_row *row),
                     void *ctx, struct sarhad_error *err)
{
    static const struct sarhad_report_filter none;
    char from[11], to[11];
    enum sarhad_status s;

    if (store == NULL || fn == NULL || (size_t)kind >= SARHAD_COUNT_OF(reports))
        return sarhad__fail(err, SARHAD_EINVAL, "report", SIZE_MAX,
                            "unknown report");
    if (filter == NULL)
        filter = &none;
    /* A report read inside a batch sees the batch's pending tallies. */
    if (store->in_batch && (s = sarhad__store_tally_flush(store, err)) != 0)
        return s;
    if (filter->from.year != 0 && filter->to.year != 0 &&
        sarhad_date_cmp(filter->from, filter->to) > 0)
        return sarhad__fail(err, SARHAD_EINVAL, "from", SIZE_MAX,
                            "the report's first day is after its last");
    sarhad_date_format(from, filter->from);
    sarhad_date_format(to, filter->to);
    if (kind == SARHAD_REPORT_OVERSTAYS && to[0] == '\0') {
        s = last_day(store, to, err);
        if (s != SARHAD_OK)
            return s;
        if (to[0] == '\0')
            return SARHAD_OK; /* an empty ledger has no overstays */
    }
    return run_report(store, &reports[kind], from, to, filter->post, fn, ctx,
                      err);
}
