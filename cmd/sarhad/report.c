/*
 * report.c - `sarhad report`: the published figures (daily flows, weekly
 * returns, open overstays, refusals by reason, each day's returns by sex
 * and age band, the daily tallies with families) as an aligned table, CSV,
 * or JSON lines with one object per row and its "count".
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>

SARHAD_VERB(report, "the figures ministries and UNHCR/IOM publish")

enum format { TABLE, CSV, JSON };

struct out {
    enum format format;
    /* the table is buffered to size its columns */
    char **cells;
    size_t count, cap;
    unsigned ncols;
};

static void
csv_cell(const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void
json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

static bool
row(void *ctx, const struct sarhad_report_row *r)
{
    struct out *o = ctx;

    for (unsigned i = 0; i < r->column_count; i++) {
        const char *v = r->values[i];
        if (o->format == CSV) {
            if (i > 0)
                putchar(',');
            csv_cell(v);
        } else if (o->format == JSON) {
            printf("%s\"%s\":", i ? "," : "{", r->names[i]);
            if (v == NULL)
                fputs("null", stdout);
            else if (r->is_number[i])
                fputs(v, stdout);
            else
                json_str(v);
        } else {
            if (o->count == o->cap) {
                o->cap = o->cap ? o->cap * 2 : 256;
                o->cells = xrealloc(o->cells, o->cap * sizeof(char *));
            }
            o->cells[o->count++] = xstrdup(v != NULL ? v : "");
        }
    }
    if (o->format == CSV)
        putchar('\n');
    else if (o->format == JSON)
        puts("}");
    return true;
}

static void
table(struct out *o, const char *const *names, unsigned ncols)
{
    size_t width[SARHAD_REPORT_MAX_COLUMNS];

    if (ncols == 0 || ncols > SARHAD_REPORT_MAX_COLUMNS)
        return;
    for (unsigned c = 0; c < ncols; c++)
        width[c] = strlen(names[c]);
    for (size_t i = 0; i < o->count; i++)
        if (strlen(o->cells[i]) > width[i % ncols])
            width[i % ncols] = strlen(o->cells[i]);
    for (unsigned c = 0; c < ncols; c++)
        printf("%-*s%s", (int)width[c], names[c], c + 1 < ncols ? "  " : "\n");
    for (size_t i = 0; i < o->count; i++) {
        unsigned c = (unsigned)(i % ncols);
        /* numbers (the trailing columns) align right */
        bool number = c + 1 == ncols ||
                      strspn(o->cells[i], "0123456789") == strlen(o->cells[i]);
        printf(number && o->cells[i][0] ? "%*s%s" : "%-*s%s", (int)width[c],
               o->cells[i], c + 1 < ncols ? "  " : "\n");
        free(o->cells[i]);
    }
    free(o->cells);
}

int
cmd_report(int argc, char **argv)
{
    const char *db = NULL, *kind_name = NULL, *from = NULL, *to = NULL;
    const char *post = NULL, *format = "table", *central = NULL;
    struct sarhad_report_filter filter;
    enum sarhad_report_kind kind;
    struct sarhad_store *store = NULL;
    struct sarhad_central *national = NULL;
    struct sarhad_error err;
    struct out o;
    const char *const *names;
    unsigned ncols;
    bool missing = false;
    enum sarhad_status s;

    memset(&filter, 0, sizeof(filter));
    memset(&o, 0, sizeof(o));
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad report (--db FILE | --central CONNINFO) "
                 "daily|returns|overstays|refusals|flows|tallies|\n"
                 "       purposes|vulnerabilities|detentions\n"
                 "       [--from DATE] [--to DATE] [--post CODE] "
                 "[--format table|csv|json]\n"
                 "--db FILE: a post's report; --central (or, without --db,\n"
                 "$SARHAD_CENTRAL): the national one, over every post that\n"
                 "pushed to the central store (all but overstays).\n"
                 "daily: flows per day, post, crossing, direction, "
                 "nationality, decision.\n"
                 "returns: per week (Monday first), crossing, "
                 "documentation status and\n"
                 "  movement, with children, women, vehicles and "
                 "vulnerable people,\n"
                 "  and the cumulative count from the first day asked "
                 "for.\n"
                 "overstays: open stays past their allowed days on --to "
                 "(default: the\n"
                 "  last day recorded), by how far past.\n"
                 "refusals: refusals by reason code.\n"
                 "flows: each day's returns by crossing, movement, sex and "
                 "age band,\n"
                 "  with vehicles and vulnerable people (IOM flow "
                 "monitoring).\n"
                 "tallies: each day's returns by crossing as families, "
                 "men, women,\n"
                 "  children, vehicles and individuals (the Pakistani "
                 "daily tallies).\n"
                 "purposes: each day's admitted crossings by crossing, "
                 "direction, purpose\n"
                 "  and intended stay (IOM flow monitoring).\n"
                 "vulnerabilities: each day's returns by crossing, movement "
                 "and each\n"
                 "  vulnerability flagged (IOM flow monitoring).\n"
                 "detentions: per week, crossing, province of arrest, "
                 "documentation status\n"
                 "  and movement, the returnees handed over from detention "
                 "(deportations\n"
                 "  and exits that name an arrest), with the mean days "
                 "held and the\n"
                 "  cumulative count (the flash updates' arrests and "
                 "detentions).\n"
                 "--format json prints one object per row with a \"count\".");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--central", &central, &missing) ||
                   cli_opt(argc, argv, &i, "--from", &from, &missing) ||
                   cli_opt(argc, argv, &i, "--to", &to, &missing) ||
                   cli_opt(argc, argv, &i, "--post", &post, &missing) ||
                   cli_opt(argc, argv, &i, "--format", &format, &missing)) {
            if (missing)
                return usage_error("report", "%s needs a value", argv[i]);
        } else if (argv[i][0] != '-' && kind_name == NULL) {
            kind_name = argv[i];
        } else {
            return usage_error("report", "unknown argument '%s'", argv[i]);
        }
    }
    if (db != NULL && central != NULL)
        return usage_error("report", "--db (a post's report) or --central "
                                     "(the national one), not both");
    if (db == NULL && (central = central_conninfo(central)) == NULL)
        return usage_error("report", "--db FILE or --central CONNINFO (or "
                                     "$SARHAD_CENTRAL) is required");
    if (kind_name == NULL)
        return usage_error("report", "a report name is required");
    if (!sarhad_report_kind_parse(&kind, kind_name)) {
        char known[128];
        sarhad_report_kind_list(known, sizeof(known));
        return usage_error("report", "unknown report '%s' (%s)", kind_name,
                           known);
    }
    if (strcmp(format, "table") == 0)
        o.format = TABLE;
    else if (strcmp(format, "csv") == 0)
        o.format = CSV;
    else if (strcmp(format, "json") == 0)
        o.format = JSON;
    else
        return usage_error("report", "--format is table, csv or json");
    if ((from != NULL && !cli_date("report", "--from", from, &filter.from)) ||
        (to != NULL && !cli_date("report", "--to", to, &filter.to)))
        return EXIT_USAGE;
    if (post != NULL)
        snprintf(filter.post, sizeof(filter.post), "%s", post);
    names = sarhad_report_columns(kind, &ncols);
    o.ncols = ncols;
    if (db != NULL) {
        store = cli_open_store("report", db, false, true, NULL);
        if (store == NULL)
            return 1;
    } else if ((national = central_connect("report", central)) == NULL) {
        return 1;
    }
    if (o.format == CSV)
        for (unsigned c = 0; c < ncols; c++)
            printf("%s%s", names[c], c + 1 < ncols ? "," : "\n");
    if (db != NULL)
        s = sarhad_ledger_report(store, kind, &filter, row, &o, &err);
    else
        s = sarhad_central_report(national, kind, &filter, row, &o, &err);
    sarhad_store_close(store);
    sarhad_central_close(national);
    if (s != SARHAD_OK) {
        cli_fail("report", db, &err);
        for (size_t i = 0; i < o.count; i++)
            free(o.cells[i]);
        free(o.cells);
        return 1;
    }
    if (o.format == TABLE)
        table(&o, names, ncols);
    return 0;
}
