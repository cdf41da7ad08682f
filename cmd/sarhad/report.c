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

static void
usage(void)
{
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
}

/* The command line as given. */
struct report_args {
    const char *db, *kind_name, *from, *to, *post, *format, *central;
};

/* What the command line asks for, checked. */
struct report_options {
    const char *db;      /* a post's report, or NULL */
    const char *central; /* else the national one, from here */
    enum sarhad_report_kind kind;
    enum format format;
    struct sarhad_report_filter filter;
};

/* Read the command line into *a.  Returns -1 to go on, else the exit
 * status: 0 after --help, EXIT_USAGE after saying what is wrong. */
static int
read_args(struct report_args *a, int argc, char **argv)
{
    bool missing = false;

    memset(a, 0, sizeof(*a));
    a->format = "table";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &a->db, &missing) ||
                   cli_opt(argc, argv, &i, "--central", &a->central,
                           &missing) ||
                   cli_opt(argc, argv, &i, "--from", &a->from, &missing) ||
                   cli_opt(argc, argv, &i, "--to", &a->to, &missing) ||
                   cli_opt(argc, argv, &i, "--post", &a->post, &missing) ||
                   cli_opt(argc, argv, &i, "--format", &a->format, &missing)) {
            if (missing)
                return usage_error("report", "%s needs a value", argv[i]);
        } else if (argv[i][0] != '-' && a->kind_name == NULL) {
            a->kind_name = argv[i];
        } else {
            return usage_error("report", "unknown argument '%s'", argv[i]);
        }
    }
    return -1;
}

/* Check the arguments and turn them into *o; 0, or EXIT_USAGE after
 * saying what is wrong. */
static int
check_args(struct report_options *o, const struct report_args *a)
{
    memset(o, 0, sizeof(*o));
    o->db = a->db;
    o->central = a->central;
    if (a->db != NULL && a->central != NULL)
        return usage_error("report", "--db (a post's report) or --central "
                                     "(the national one), not both");
    if (a->db == NULL && (o->central = central_conninfo(a->central)) == NULL)
        return usage_error("report", "--db FILE or --central CONNINFO (or "
                                     "$SARHAD_CENTRAL) is required");
    if (a->kind_name == NULL)
        return usage_error("report", "a report name is required");
    if (!sarhad_report_kind_parse(&o->kind, a->kind_name)) {
        char known[128];
        sarhad_report_kind_list(known, sizeof(known));
        return usage_error("report", "unknown report '%s' (%s)", a->kind_name,
                           known);
    }
    if (strcmp(a->format, "table") == 0)
        o->format = TABLE;
    else if (strcmp(a->format, "csv") == 0)
        o->format = CSV;
    else if (strcmp(a->format, "json") == 0)
        o->format = JSON;
    else
        return usage_error("report", "--format is table, csv or json");
    if ((a->from != NULL &&
         !cli_date("report", "--from", a->from, &o->filter.from)) ||
        (a->to != NULL && !cli_date("report", "--to", a->to, &o->filter.to)))
        return EXIT_USAGE;
    if (a->post != NULL)
        snprintf(o->filter.post, sizeof(o->filter.post), "%s", a->post);
    return 0;
}

/* Run the report from the post's store or the central, printing each row
 * (or buffering it for the table); the exit status. */
static int
print_report(const struct report_options *o)
{
    struct sarhad_store *store = NULL;
    struct sarhad_central *national = NULL;
    struct sarhad_error err;
    struct out out;
    unsigned ncols;
    const char *const *names = sarhad_report_columns(o->kind, &ncols);
    enum sarhad_status s;

    memset(&out, 0, sizeof(out));
    out.format = o->format;
    out.ncols = ncols;
    if (o->db != NULL) {
        store = cli_open_store("report", o->db, false, true, NULL);
        if (store == NULL)
            return 1;
    } else if ((national = central_connect("report", o->central)) == NULL) {
        return 1;
    }
    if (out.format == CSV)
        for (unsigned c = 0; c < ncols; c++)
            printf("%s%s", names[c], c + 1 < ncols ? "," : "\n");
    if (o->db != NULL)
        s = sarhad_ledger_report(store, o->kind, &o->filter, row, &out, &err);
    else
        s = sarhad_central_report(national, o->kind, &o->filter, row, &out,
                                  &err);
    sarhad_store_close(store);
    sarhad_central_close(national);
    if (s != SARHAD_OK) {
        cli_fail("report", o->db, &err);
        for (size_t i = 0; i < out.count; i++)
            free(out.cells[i]);
        free(out.cells);
        return 1;
    }
    if (out.format == TABLE)
        table(&out, names, ncols);
    return 0;
}

int
cmd_report(int argc, char **argv)
{
    struct report_args a;
    struct report_options o;
    int rc = read_args(&a, argc, argv);

    if (rc >= 0)
        return rc;
    if (check_args(&o, &a) != 0)
        return EXIT_USAGE;
    return print_report(&o);
}
