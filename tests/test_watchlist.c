/*
 * test_watchlist.c - importing lists: CSV (fields, quoting, line:col of
 * faults), the real UN consolidated list XML (730 individuals, 2,139
 * aliases, Taliban entries in Arabic script, birth date ranges, father's
 * names), versions in the store.
 */
#include "test.h"

static const struct sarhad_actor importer = {"admin", "admin", "", ""};

#include <stdlib.h>

struct tally {
    unsigned entries, names, aliases, births, ranges, approx, fathers;
    unsigned arabic, afg;
    struct sarhad_watchlist_entry last, tai004;
};

static int
count_entry(void *ctx, const struct sarhad_watchlist_entry *e)
{
    struct tally *t = ctx;

    t->entries++;
    t->names += e->name_count;
    t->aliases += e->alias_count;
    t->births += e->birth_count;
    for (unsigned i = 0; i < e->birth_count; i++) {
        t->ranges += e->births[i].from.year != e->births[i].to.year;
        t->approx += e->births[i].approximate;
    }
    t->fathers += e->father_name[0] != '\0';
    for (unsigned i = 0; i < e->name_count; i++)
        if ((unsigned char)e->names[i][0] == 0xd8 ||
            (unsigned char)e->names[i][0] == 0xd9 ||
            (unsigned char)e->names[i][0] == 0xda ||
            (unsigned char)e->names[i][0] == 0xdb) {
            t->arabic++;
            break;
        }
    for (unsigned i = 0; i < e->nationality_count; i++)
        t->afg += strcmp(e->nationalities[i], "AFG") == 0;
    if (strcmp(e->id, "TAi.004") == 0)
        t->tai004 = *e;
    t->last = *e;
    return 0;
}

TEST(watchlist_un_xml)
{
    static struct tally t;
    size_t len;
    char *xml = slurp("/work/shared/data/un-consolidated-list.xml", &len);

    if (xml == NULL)
        xml = slurp("../shared/data/un-consolidated-list.xml", &len);
    ASSERT(xml != NULL);
    memset(&t, 0, sizeof(t));
    ASSERT_OK(sarhad_watchlist_parse(xml, len, SARHAD_WL_AUTO, count_entry, &t,
                                     NULL));
    free(xml);
    ASSERT_EQ_INT(730, t.entries);
    ASSERT_EQ_INT(2139, t.aliases);
    ASSERT_EQ_INT(130, t.afg);
    ASSERT(t.arabic >= 135);
    ASSERT_EQ_INT(31, t.ranges);  /* BETWEEN FROM_YEAR TO_YEAR */
    ASSERT_EQ_INT(116, t.approx); /* APPROXIMATELY with a year */
    ASSERT(t.fathers >= 40);
    ASSERT_EQ_STR("MOHAMMED OMAR GHULAM NABI", t.tai004.names[0]);
    ASSERT_EQ_INT(3, t.tai004.birth_count);
    ASSERT(t.tai004.births[0].approximate);
    ASSERT_EQ_INT(1966, t.tai004.births[0].from.year);
    ASSERT_EQ_STR("Ghulam Nabi", t.tai004.father_name);
}

TEST(watchlist_csv_fields)
{
    static struct tally t;
    size_t len;
    char *csv = slurp("tests/data/screen-list.csv", &len);

    ASSERT(csv != NULL);
    memset(&t, 0, sizeof(t));
    ASSERT_OK(sarhad_watchlist_parse(csv, len, SARHAD_WL_AUTO, count_entry, &t,
                                     NULL));
    free(csv);
    ASSERT_EQ_INT(5, t.entries);
    ASSERT_EQ_INT(7, t.aliases);
    ASSERT_EQ_STR("T-005", t.last.id);
    ASSERT_EQ_INT(1, t.last.birth_count);
    ASSERT_EQ_STR("Sher Khan", t.last.father_name);
    ASSERT_EQ_INT(1, t.ranges);
    ASSERT_EQ_INT(1, t.approx);
}

static enum sarhad_status
parse_text(const char *text, struct sarhad_error *err)
{
    static struct tally t;

    return sarhad_watchlist_parse(text, strlen(text), SARHAD_WL_CSV,
                                  count_entry, &t, err);
}

TEST(watchlist_csv_errors)
{
    struct sarhad_error err;
    const char *h = "id,name,aliases,birth_date,nationality,father_name\n";
    char buf[512];

    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text("", &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text("id,name\n", &err));
    ASSERT_EQ_INT(1, err.line);
    snprintf(buf, sizeof(buf), "%sA1,Ali Khan,,19x0,AFG,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_INT(2, err.line);
    ASSERT_EQ_INT(14, err.col);
    snprintf(buf, sizeof(buf), "%sA1,Ali,,1970;1961-02-30,AFG,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_INT(2, err.line);
    ASSERT_EQ_INT(22, err.col); /* the day of 1961-02-30 */
    snprintf(buf, sizeof(buf), "%sA1,\"Ali \"\"Gul\"\" Khan\",,,XX1,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_STR("nationality", err.field);
    snprintf(buf, sizeof(buf), "%sA1,\"Ali,,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT(strstr(err.message, "never closed") != NULL);
    ASSERT_EQ_INT(4, err.col);
    snprintf(buf, sizeof(buf), "%sA1,Ali,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT(strstr(err.message, "expected 6 fields") != NULL);
    snprintf(buf, sizeof(buf), "%sA1,Al\"i,,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_INT(6, err.col);
    snprintf(buf, sizeof(buf), "%s,Ali,,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_STR("id", err.field);
    snprintf(buf, sizeof(buf), "%sA1,\x01,,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    /* Quoted commas, CRLF, a BOM and a blank line are fine; a newline
     * inside quotes is read, and is then no name. */
    snprintf(buf, sizeof(buf),
             "\xEF\xBB\xBF%sA1,\"Khan, Ali\",\"a;b\",,,\r\n\r\nA2,Gul,,,,", h);
    ASSERT_OK(parse_text(buf, &err));
    snprintf(buf, sizeof(buf), "%sA1,\"Ali\nKhan\",,,,\n", h);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse_text(buf, &err));
    ASSERT_EQ_STR("name", err.field);
}

TEST(watchlist_versions_in_store)
{
    char path[300];
    struct sarhad_store *store;
    struct sarhad_store_options opt = {true, false, NULL};
    struct sarhad_watchlist_version v, vs[4];
    struct sarhad_error err;
    size_t len, count;
    char *csv = slurp("tests/data/screen-list.csv", &len);
    static struct tally t;
    const char *second =
        "id,name,aliases,birth_date,nationality,father_name\n"
        "B1,Sirajuddin Haqqani,,1973..1980,AFG,Jalaluddin Haqqani\n";

    ASSERT(csv != NULL);
    snprintf(path, sizeof(path), "%s/wl.db", test_tmpdir());
    ASSERT_OK(sarhad_store_open(&store, path, &opt, &err));
    ASSERT_OK(sarhad_watchlist_versions(store, vs, 4, &count, &err));
    ASSERT_EQ_INT(0, count);
    ASSERT_OK(sarhad_watchlist_import(store, csv, len, SARHAD_WL_AUTO, "a.csv",
                                      &importer, 1700000000, &v, &err));
    ASSERT_EQ_STR("v1", v.label);
    ASSERT_EQ_INT(5, v.entry_count);
    ASSERT_EQ_STR("csv", v.format);
    /* A failed import changes nothing. */
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_watchlist_import(store, "id,name\n", 8, SARHAD_WL_CSV,
                                          "bad.csv", &importer, 1700000000, &v,
                                          &err));
    /* A repeated id fails the whole import. */
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_watchlist_import(
                      store,
                      "id,name,aliases,birth_date,nationality,father_name\n"
                      "A,Ali,,,,\nA,Gul,,,,\n",
                      75, SARHAD_WL_CSV, "dup.csv", &importer, 1700000000, &v,
                      &err));
    ASSERT_OK(sarhad_watchlist_import(store, second, strlen(second),
                                      SARHAD_WL_AUTO, "b.csv", &importer,
                                      1700000000, &v, &err));
    ASSERT_EQ_STR("v2", v.label);
    ASSERT_OK(sarhad_watchlist_versions(store, vs, 4, &count, &err));
    ASSERT_EQ_INT(2, count);
    ASSERT_EQ_STR("v2", vs[0].label);
    ASSERT(vs[0].is_current);
    ASSERT(!vs[1].is_current);
    memset(&t, 0, sizeof(t));
    ASSERT_OK(sarhad_watchlist_entries(store, "v1", count_entry, &t, &err));
    ASSERT_EQ_INT(5, t.entries);
    ASSERT_EQ_STR("T-005", t.last.id);
    memset(&t, 0, sizeof(t));
    ASSERT_OK(sarhad_watchlist_entries(store, NULL, count_entry, &t, &err));
    ASSERT_EQ_INT(1, t.entries);
    ASSERT_EQ_STR("Jalaluddin Haqqani", t.last.father_name);
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_watchlist_entries(store, "v9", count_entry, &t, &err));
    sarhad_store_close(store);
    free(csv);
}
