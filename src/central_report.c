/*
 * central_report.c - the national figures, from the central's copy of
 * every post's record: the same reports a post makes of itself (report.c),
 * with the same columns and rows, over all the posts that pushed.  A post
 * reads its summary tables; the central computes from the attempts, their
 * resolutions and the exits' returns details, as `sarhad verify` checks
 * the summaries against (ledger_verify.c): the decision that counts is the
 * final one (a resolution's or an override's), a return counts when the
 * exit was finally admitted, and a refusal counts each of its reasons.  So
 * the national report of one post is that post's own report.  Open stays
 * are not pushed, so overstays remain a post's report.
 */
#include "central.h"

#include <string.h>

#define FINAL "coalesce(r.decision, a.decision)"
#define DAYS                                                                   \
    " a.day >= coalesce(nullif($1, '')::date, '-infinity')"                    \
    " AND a.day <= coalesce(nullif($2, '')::date, 'infinity')"                 \
    " AND ($3 = '' OR a.post = $3)"
#define RESOLVED                                                               \
    " FROM attempt a LEFT JOIN resolution r"                                   \
    " ON r.post = a.post AND r.attempt_id = a.id"

static const char sql_daily[] =
    "SELECT to_char(a.day, 'YYYY-MM-DD'), a.post, a.crossing, a.direction,"
    " a.nationality, " FINAL ", count(*)" RESOLVED " WHERE" DAYS
    " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6";
/* Weeks run Monday to Sunday, as a post's do. */
static const char sql_returns[] =
    "SELECT to_char(date_trunc('week', a.day), 'YYYY-MM-DD'), a.post,"
    " a.crossing, a.return_documentation, a.return_category,"
    " sum((a.return_age_band IN ('0-4', '5-17'))::int),"
    " sum((a.return_sex = 'F' AND a.return_age_band NOT IN ('0-4', '5-17'))"
    "::int), sum(a.return_vehicles), sum((a.return_vulnerabilities != 0)::int),"
    " sum(count(*)) OVER (PARTITION BY a.post, a.crossing,"
    " a.return_documentation, a.return_category"
    " ORDER BY to_char(date_trunc('week', a.day), 'YYYY-MM-DD')),"
    " count(*)" RESOLVED " WHERE a.return_category IS NOT NULL AND " FINAL
    " = 'admit' AND" DAYS " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
static const char sql_flows[] =
    "SELECT to_char(a.day, 'YYYY-MM-DD'), a.post, a.crossing,"
    " a.return_category, a.return_sex, a.return_age_band,"
    " sum(a.return_vehicles), sum((a.return_vulnerabilities != 0)::int),"
    " count(*)" RESOLVED " WHERE a.return_category IS NOT NULL AND " FINAL
    " = 'admit' AND" DAYS
    " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6";
/* A family is a household named on at least one admitted exit of the
 * day at the crossing, as a post's household_day counts it. */
static const char sql_tallies[] =
    "SELECT to_char(a.day, 'YYYY-MM-DD'), a.post, a.crossing,"
    " count(DISTINCT nullif(a.return_household, '')),"
    " sum((a.return_sex = 'M' AND a.return_age_band NOT IN ('0-4', '5-17'))"
    "::int),"
    " sum((a.return_sex = 'F' AND a.return_age_band NOT IN ('0-4', '5-17'))"
    "::int), sum((a.return_age_band IN ('0-4', '5-17'))::int),"
    " sum(a.return_vehicles), count(*)" RESOLVED
    " WHERE a.return_category IS NOT NULL AND " FINAL " = 'admit' AND" DAYS
    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
static const char sql_purposes[] =
    "SELECT to_char(a.day, 'YYYY-MM-DD'), a.post, a.crossing, a.direction,"
    " coalesce(nullif(a.presentation -> 'traveller' ->> 'purpose', ''),"
    " 'not stated'),"
    " coalesce(nullif(a.return_intended_stay, ''), 'not stated'), "
    "count(*)" RESOLVED " WHERE " FINAL " = 'admit' AND" DAYS
    " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6";
static const char sql_vulnerabilities[] =
    "SELECT to_char(a.day, 'YYYY-MM-DD'), a.post, a.crossing,"
    " a.return_category, v.name, count(*)" RESOLVED
    " JOIN " SARHAD__VULNERABILITY_TABLE
    " ON (a.return_vulnerabilities & v.bit) != 0"
    " WHERE " FINAL " = 'admit' AND" DAYS
    " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
/* Arrests and detentions as a post counts them (report.c): its
 * deportations and the exits that name an arrest, by the province and day
 * of arrest their presentation records. */
#define ARREST_PROVINCE "(a.presentation -> 'movement' ->> 'arrest_province')"
#define ARRESTED_ON     "(a.presentation -> 'movement' ->> 'arrested_on')"
static const char sql_detentions[] =
    "SELECT week, post, crossing, province, documentation, category,"
    " round(held::numeric / nullif(dated, 0))::bigint,"
    " sum(n) OVER (PARTITION BY post, crossing, province, documentation,"
    " category ORDER BY week), n FROM ("
    "SELECT to_char(date_trunc('week', a.day), 'YYYY-MM-DD') AS week,"
    " a.post, a.crossing, coalesce(" ARREST_PROVINCE ", 'not stated')"
    " AS province, a.return_documentation AS documentation,"
    " a.return_category AS category,"
    " coalesce(sum(a.day - " ARRESTED_ON "::date), 0) AS held,"
    " count(" ARRESTED_ON ") AS dated, count(*) AS n" RESOLVED
    " WHERE (a.return_category = 'deportation' OR " ARREST_PROVINCE
    " IS NOT NULL OR " ARRESTED_ON " IS NOT NULL) AND " FINAL " = 'admit'"
    " AND" DAYS " GROUP BY 1, 2, 3, 4, 5, 6) d ORDER BY 1, 2, 3, 4, 5, 6";
/* A refusal at the counter counts each of its reasons, unless it was
 * resolved or overridden; a refusal on review counts once, as the
 * referral's or the override's. */
static const char sql_refusals[] =
    "SELECT code, post, crossing, nationality, count(*) FROM ("
    "SELECT coalesce(x.value ->> 'code', 'none') AS code, a.post, a.crossing,"
    " a.nationality" RESOLVED
    " LEFT JOIN LATERAL jsonb_array_elements(a.decision_json -> 'reasons')"
    " x(value) ON true"
    " WHERE a.decision = 'refuse' AND r.attempt_id IS NULL AND" DAYS
    " UNION ALL SELECT CASE a.decision WHEN 'refer' THEN 'referral_refused'"
    " ELSE 'override_refused' END, a.post, a.crossing, a.nationality"
    " FROM resolution r JOIN attempt a"
    " ON a.post = r.post AND a.id = r.attempt_id"
    " WHERE r.decision = 'refuse' AND" DAYS ") refusals"
    " GROUP BY 1, 2, 3, 4 ORDER BY count(*) DESC, 1, 2, 3, 4";

enum sarhad_status
sarhad_central_report(struct sarhad_central *central,
                      enum sarhad_report_kind kind,
                      const struct sarhad_report_filter *filter,
                      bool (*fn)(void *ctx,
                                 const struct sarhad_report_row *row),
                      void *ctx, struct sarhad_error *err)
{
    static const struct sarhad_report_filter none;
    static const char *const sql[] = {
        sql_daily,    sql_returns,         NULL,
        sql_refusals, sql_flows,           sql_tallies,
        sql_purposes, sql_vulnerabilities, sql_detentions};
    struct sarhad__pg_params p = {0};
    struct sarhad_report_row row;
    const char *const *cols;
    char from[11], to[11];
    unsigned ncols;
    enum sarhad_status s;
    PGresult *res;
    int n;

    if (central == NULL || fn == NULL || (size_t)kind >= SARHAD_COUNT_OF(sql))
        return sarhad__fail(err, SARHAD_EINVAL, "report", SIZE_MAX,
                            "unknown report");
    if (sql[kind] == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "report", SIZE_MAX,
                            "overstays are a post's report: its open stays "
                            "are not pushed to the central");
    if (filter == NULL)
        filter = &none;
    if (filter->from.year != 0 && filter->to.year != 0 &&
        sarhad_date_cmp(filter->from, filter->to) > 0)
        return sarhad__fail(err, SARHAD_EINVAL, "from", SIZE_MAX,
                            "the report's first day is after its last");
    s = sarhad__central_require_schema(central, err);
    if (s != SARHAD_OK)
        return s;
    sarhad_date_format(from, filter->from);
    sarhad_date_format(to, filter->to);
    sarhad__pg_text(&p, from);
    sarhad__pg_text(&p, to);
    sarhad__pg_text(&p, filter->post);
    res = sarhad__central_run(central, sql[kind], &p, "make the report", err);
    if (res == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    cols = sarhad_report_columns(kind, &ncols);
    memset(&row, 0, sizeof(row));
    row.column_count = ncols;
    for (unsigned i = 0; i < ncols; i++) {
        row.names[i] = cols[i];
        row.is_number[i] = i >= sarhad__report_text_columns(kind);
    }
    n = PQntuples(res);
    for (int t = 0; t < n; t++) {
        for (unsigned i = 0; i < ncols; i++)
            row.values[i] =
                PQgetisnull(res, t, (int)i) ? NULL : PQgetvalue(res, t, (int)i);
        if (!fn(ctx, &row))
            break;
    }
    PQclear(res);
    return SARHAD_OK;
}
