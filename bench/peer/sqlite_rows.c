/*
 * sqlite_rows.c - the yardstick for `sarhad cross`: SQLite alone writing
 * the rows that sarhad wrote, with nothing else to do.
 *
 *   sqlite_rows SOURCE.db DEST.db [GROUP]
 *
 * SOURCE is a store that `sarhad cross` filled.  Every row its crossings
 * made (attempts, audit entries, travellers and their keys, links, stays,
 * visas, returns details, cancelled PoR cards, referrals) is read into
 * memory first; then DEST, made with SOURCE's schema (indexes, triggers
 * and all) and sarhad's settings (WAL, synchronous=FULL, 64 MiB cache),
 * receives them crossing by crossing in attempt order, through prepared
 * statements, committing every GROUP crossings (1000).  Only that part is
 * timed, and the disk is left out of it: synchronous=OFF and no
 * checkpoints (the log grows), where sarhad flushes and checkpoints on
 * threads of their own.  What sarhad does besides is left out too:
 * parsing, screening, deciding, identity and history reads, hashing, the
 * summaries, and the updates that close stays and count visa entries (a
 * stay and a visa are written once, as they ended).  So the figure is a
 * ceiling over any single writer recording the same rows in SQLite on
 * this machine, not a rival; the time per table says where it goes.
 *
 * It uses the page cache and the log files sarhad uses
 * (src/store_pcache.c: SQLite's own, with truncations that cost what they
 * remove; src/store_vfs.c: the unix VFS, with a commit's log frames
 * written in one call); with PLAIN_PCACHE=1 or PLAIN_VFS=1 in the
 * environment it uses SQLite's default instead, to show what that costs.
 */
#include "../../src/internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A table's rows, each keyed by the attempt that made it. */
struct table {
    const char *name;
    const char *key; /* SQL for the attempt id of a row */
    sqlite3_stmt *insert;
    int cols;
    size_t count, at;
    double seconds; /* spent writing this table's rows */
    long long *keys;
    sqlite3_value **values; /* count * cols */
};

static struct table tables[] = {
    {.name = "attempt", .key = "id"},
    {.name = "audit_log",
     .key = "CASE WHEN subject LIKE 'attempt:%'"
            " THEN CAST(substr(subject, 9) AS INTEGER) ELSE 0 END"},
    {.name = "traveller", .key = "first_attempt"},
    {.name = "traveller_key", .key = "first_attempt"},
    {.name = "traveller_link", .key = "attempt_id"},
    {.name = "stay", .key = "entry_attempt"},
    {.name = "visa",
     .key = "coalesce((SELECT min(a.id) FROM attempt a"
            " WHERE a.visa_key = visa.key), 0)"},
    {.name = "movement", .key = "attempt_id"},
    {.name = "por_cancelled", .key = "attempt_id"},
    {.name = "referral", .key = "attempt_id"},
    {.name = "referral_open", .key = "attempt_id"},
};
#define TABLE_COUNT (sizeof(tables) / sizeof(tables[0]))

static void
die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_rows: %s: %s\n", what,
            db ? sqlite3_errmsg(db) : "out of memory");
    exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

static double
now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
load(sqlite3 *src, struct table *t)
{
    char sql[512];
    sqlite3_stmt *st;
    size_t cap = 1024;

    snprintf(sql, sizeof(sql), "SELECT %s, * FROM %s ORDER BY 1", t->key,
             t->name);
    if (sqlite3_prepare_v2(src, sql, -1, &st, NULL) != SQLITE_OK)
        die(src, sql);
    t->cols = sqlite3_column_count(st) - 1;
    t->keys = malloc(cap * sizeof(*t->keys));
    t->values = malloc(cap * (size_t)t->cols * sizeof(*t->values));
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (t->count == cap) {
            cap *= 2;
            t->keys = realloc(t->keys, cap * sizeof(*t->keys));
            t->values =
                realloc(t->values, cap * (size_t)t->cols * sizeof(*t->values));
        }
        if (t->keys == NULL || t->values == NULL)
            die(NULL, "load");
        t->keys[t->count] = sqlite3_column_int64(st, 0);
        for (int c = 0; c < t->cols; c++)
            t->values[t->count * (size_t)t->cols + (size_t)c] =
                sqlite3_value_dup(sqlite3_column_value(st, c + 1));
        t->count++;
    }
    sqlite3_finalize(st);
}

/* The schema of every table above, its indexes and its triggers. */
static void
copy_schema(sqlite3 *src, sqlite3 *dst)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(src,
                           "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL"
                           " AND name NOT LIKE 'sqlite_%'"
                           " ORDER BY type = 'table' DESC, rowid",
                           -1, &st, NULL) != SQLITE_OK)
        die(src, "read the schema");
    while (sqlite3_step(st) == SQLITE_ROW)
        exec(dst, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void
prepare_insert(sqlite3 *dst, struct table *t)
{
    char sql[1024];
    int n = snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (", t->name);

    for (int c = 0; c < t->cols; c++)
        n += snprintf(sql + n, sizeof(sql) - (size_t)n, "%s?", c ? "," : "");
    snprintf(sql + n, sizeof(sql) - (size_t)n, ")");
    if (sqlite3_prepare_v3(dst, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->insert,
                           NULL) != SQLITE_OK)
        die(dst, sql);
}

/* As sarhad binds: numbers by value, texts without a copy. */
static void
bind(sqlite3_stmt *st, int i, sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
        sqlite3_bind_int64(st, i, sqlite3_value_int64(v));
        break;
    case SQLITE_FLOAT:
        sqlite3_bind_double(st, i, sqlite3_value_double(v));
        break;
    case SQLITE_TEXT:
        sqlite3_bind_text(st, i, (const char *)sqlite3_value_text(v),
                          sqlite3_value_bytes(v), SQLITE_STATIC);
        break;
    case SQLITE_BLOB:
        sqlite3_bind_blob(st, i, sqlite3_value_blob(v), sqlite3_value_bytes(v),
                          SQLITE_STATIC);
        break;
    default:
        sqlite3_bind_null(st, i);
    }
}

/* Write the rows of t keyed by attempt id (all keys <= id when last). */
static size_t
put_rows(sqlite3 *dst, struct table *t, long long id, int last)
{
    size_t n = 0;

    while (t->at < t->count &&
           (t->keys[t->at] == id || last || t->keys[t->at] < id)) {
        sqlite3_value **v = &t->values[t->at * (size_t)t->cols];
        for (int c = 0; c < t->cols; c++)
            bind(t->insert, c + 1, v[c]);
        if (sqlite3_step(t->insert) != SQLITE_DONE)
            die(dst, t->name);
        sqlite3_reset(t->insert);
        t->at++;
        n++;
    }
    return n;
}

int
main(int argc, char **argv)
{
    sqlite3 *src, *dst;
    struct table *attempts = &tables[0];
    long group = argc > 3 ? atol(argv[3]) : 1000;
    size_t rows = 0;
    double t0, t1, commits = 0;

    if (argc < 3 || group < 1) {
        fprintf(stderr, "usage: sqlite_rows SOURCE.db DEST.db [GROUP]\n");
        return 2;
    }
    if (getenv("PLAIN_PCACHE") == NULL)
        sarhad__store_pcache_install();
    if (getenv("PLAIN_VFS") == NULL)
        sarhad__store_vfs_install();
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(src, argv[1]);
    remove(argv[2]);
    if (sqlite3_open_v2(argv[2], &dst,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        die(dst, argv[2]);
    exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
              " PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-65536;"
              " PRAGMA temp_store=MEMORY");
    copy_schema(src, dst);
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        load(src, &tables[i]);
        prepare_insert(dst, &tables[i]);
    }
    sqlite3_close(src);

    t0 = now();
    exec(dst, "BEGIN");
    for (size_t a = 0; a < attempts->count; a++) {
        long long id = attempts->keys[a];
        int last = a + 1 == attempts->count;
        for (size_t i = 0; i < TABLE_COUNT; i++) {
            double s = now();
            rows += put_rows(dst, &tables[i], id, last);
            tables[i].seconds += now() - s;
        }
        if ((long)(a + 1) % group == 0 || last) {
            double s = now();
            exec(dst, last ? "COMMIT" : "COMMIT; BEGIN");
            commits += now() - s;
        }
    }
    t1 = now();
    if (attempts->count == 0)
        return 0;
    printf("sqlite alone, the same rows (group %ld, no fsync, no "
           "checkpoint, %s page cache, %s log files): %zu crossings, "
           "%.2f rows each, %.0f crossings/s\n",
           group, getenv("PLAIN_PCACHE") ? "default" : "sarhad's",
           getenv("PLAIN_VFS") ? "default" : "sarhad's", attempts->count,
           (double)rows / (double)attempts->count,
           (double)attempts->count / (t1 - t0));
    printf("  us per crossing:");
    for (size_t i = 0; i < TABLE_COUNT; i++)
        if (tables[i].count > 0)
            printf(" %s %.2f (%.2f rows)", tables[i].name,
                   tables[i].seconds * 1e6 / (double)attempts->count,
                   (double)tables[i].count / (double)attempts->count);
    printf(" commit %.2f\n", commits * 1e6 / (double)attempts->count);
    sqlite3_close(dst);
    return 0;
}
