/*
 * test_store_pcache.c - the page cache behind every store
 * (src/store_pcache.c) skips the truncations that have nothing to remove
 * and passes on the ones that do.  What catches a wrong skip is a read: a
 * reader whose cache was not emptied after another connection's change
 * reads the old rows, and the random workloads on a store read stale rows
 * or a stale schema (both fail when every truncation is skipped, or when
 * fetched pages go unrecorded).  A stale page past the end of the file is
 * harder to see, since SQLite initialises a page it adds; the rolled-back
 * growth therefore also checks that its truncation was passed on.
 */
#include "test.h"

#include "../src/internal.h"
#include "sql_helpers.h"

#include <stdio.h>
#include <string.h>

/* Rows keyed in random order, each commit a few of them: page splits all
 * over the tree, so balancing renumbers pages in most commits. */
static void
insert_scattered(sqlite3 *db, int from, int count, int per_commit)
{
    sqlite3_stmt *st = NULL;

    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_prepare_v2(db,
                                     "INSERT INTO k(key, v) VALUES"
                                     " (printf('%08x', (?1 * 2654435761)"
                                     " % 4294967296), zeroblob(300))",
                                     -1, &st, NULL));
    for (int i = from; i < from + count; i++) {
        if ((i - from) % per_commit == 0)
            sql_exec_ok(db, "BEGIN");
        sqlite3_bind_int(st, 1, i);
        ASSERT_EQ_INT(SQLITE_DONE, sqlite3_step(st));
        sqlite3_reset(st);
        if ((i - from) % per_commit == per_commit - 1 || i == from + count - 1)
            sql_exec_ok(db, "COMMIT");
    }
    sqlite3_finalize(st);
}

TEST(store_pcache_skips_truncations_with_nothing_to_remove)
{
    struct sarhad__pcache_stats before, after;
    struct sarhad_error err;
    char path[300];
    sqlite3 *db;

    snprintf(path, sizeof(path), "%s/pcache-skip.db", test_tmpdir());
    ASSERT_OK(sarhad__store_open(&db, path, SARHAD__STORE_CREATE, "OFF", &err));
    sarhad__store_pcache_stats(&before);
    ASSERT(before.installed);
    sql_exec_ok(db,
                "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    insert_scattered(db, 0, 20000, 8);
    sarhad__store_pcache_stats(&after);
    /* Every commit truncates the cache to the file's size; nearly all of
     * them had nothing past it to remove. */
    ASSERT(after.truncations_skipped - before.truncations_skipped >= 2000);
    ASSERT_EQ_INT(20000, sql_int(db, "SELECT count(*) FROM k"));
    sql_integrity_ok(db);
    sqlite3_close(db);
}

TEST(store_pcache_drops_pages_of_a_rolled_back_growth)
{
    struct sarhad__pcache_stats before, after;
    struct sarhad_error err;
    char path[300];
    sqlite3 *db, *other;
    long long pages;

    snprintf(path, sizeof(path), "%s/pcache-rollback.db", test_tmpdir());
    ASSERT_OK(sarhad__store_open(&db, path, SARHAD__STORE_CREATE, "OFF", &err));
    sql_exec_ok(db,
                "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    sql_exec_ok(db, "CREATE TABLE big(id INTEGER PRIMARY KEY, v BLOB)");
    insert_scattered(db, 0, 2000, 4);
    pages = sql_int(db, "PRAGMA page_count");
    sarhad__store_pcache_stats(&before);
    /* Grow the file by hundreds of pages, then take it all back: the
     * pages past the old end are cached and must go. */
    sql_exec_ok(db, "BEGIN");
    sql_exec_ok(db,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM"
                " n WHERE i < 400) INSERT INTO big SELECT i, randomblob(3000)"
                " FROM n");
    ASSERT(sql_int(db, "PRAGMA page_count") > pages + 300);
    sql_exec_ok(db, "ROLLBACK");
    sarhad__store_pcache_stats(&after);
    ASSERT(after.truncations_passed > before.truncations_passed);
    ASSERT_EQ_INT(pages, sql_int(db, "PRAGMA page_count"));
    ASSERT_EQ_INT(0, sql_int(db, "SELECT count(*) FROM big"));
    /* The same page numbers, written again with other content, read back
     * as that content here and on a fresh connection. */
    sql_exec_ok(db,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM"
                " n WHERE i < 400) INSERT INTO big SELECT i, zeroblob(3000)"
                " FROM n");
    insert_scattered(db, 2000, 2000, 4);
    ASSERT_EQ_INT(0, sql_int(db, "SELECT count(*) FROM big"
                                 " WHERE v != zeroblob(3000)"));
    ASSERT_EQ_INT(400, sql_int(db, "SELECT count(*) FROM big"));
    ASSERT_EQ_INT(4000, sql_int(db, "SELECT count(*) FROM k"));
    sql_integrity_ok(db);
    ASSERT_OK(
        sarhad__store_open(&other, path, SARHAD__STORE_READONLY, NULL, &err));
    ASSERT_EQ_INT(0, sql_int(other, "SELECT count(*) FROM big"
                                    " WHERE v != zeroblob(3000)"));
    ASSERT_EQ_INT(4000, sql_int(other, "SELECT count(*) FROM k"));
    sql_integrity_ok(other);
    sqlite3_close(other);
    sqlite3_close(db);
}

TEST(store_pcache_reader_sees_another_connections_changes)
{
    struct sarhad_error err;
    char path[300];
    sqlite3 *writer, *reader;

    snprintf(path, sizeof(path), "%s/pcache-reader.db", test_tmpdir());
    ASSERT_OK(
        sarhad__store_open(&writer, path, SARHAD__STORE_CREATE, "OFF", &err));
    sql_exec_ok(writer,
                "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    insert_scattered(writer, 0, 3000, 50);
    ASSERT_OK(
        sarhad__store_open(&reader, path, SARHAD__STORE_READONLY, NULL, &err));
    /* The reader caches every page of the table... */
    ASSERT_EQ_INT(3000, sql_int(reader, "SELECT count(*) FROM k"
                                        " WHERE v = zeroblob(300)"));
    /* ...which the writer then changes in place: when the reader next
     * begins to read, its whole cache must go (a truncation to nothing). */
    sql_exec_ok(writer, "UPDATE k SET v = randomblob(300)");
    ASSERT_EQ_INT(0, sql_int(reader, "SELECT count(*) FROM k"
                                     " WHERE v = zeroblob(300)"));
    sql_integrity_ok(reader);
    sqlite3_close(reader);
    sqlite3_close(writer);
}

/* A model of the table kv: each key's version (0: absent); a row's text
 * follows from its key, version and length (kept in the row). */
#define MODEL_KEYS 400
struct model {
    int version[MODEL_KEYS];
};

static unsigned
next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 8) & 0xffffff;
}

/* Every row of kv on db is what the model says, text and all. */
static void
matches_model(sqlite3 *db, const struct model *m)
{
    sqlite3_stmt *st = NULL;
    int rows = 0, want = 0;

    ASSERT_EQ_INT(SQLITE_OK, sqlite3_prepare_v2(
                                 db,
                                 "SELECT k, ver, length(v), v = (k || ':' ||"
                                 " ver || ':' || printf('%.*c', len,"
                                 " char(65 + (k + ver) % 26))) FROM kv",
                                 -1, &st, NULL));
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        ASSERT(k >= 0 && k < MODEL_KEYS);
        ASSERT_EQ_INT(m->version[k], sqlite3_column_int(st, 1));
        ASSERT_EQ_INT(1, sqlite3_column_int(st, 3));
        rows++;
    }
    sqlite3_finalize(st);
    for (int k = 0; k < MODEL_KEYS; k++)
        want += m->version[k] != 0;
    ASSERT_EQ_INT(want, rows);
}

/* Random writes through two connections (or one, twice) to one database,
 * in transactions that commit or roll back, with savepoints undone and
 * VACUUMs that shrink the file; after every transaction both read exactly
 * what the model holds, and SQLite's integrity check passes. */
static void
random_workload(sqlite3 *db[2], unsigned seed)
{
    struct model m, saved, inner;
    char sql[200];

    sql_exec_ok(db[0], "CREATE TABLE kv(k INTEGER PRIMARY KEY, ver INTEGER,"
                       " len INTEGER, v TEXT)");
    sql_exec_ok(db[0], "CREATE INDEX kv_v ON kv(v)");
    memset(&m, 0, sizeof(m));
    for (int txn = 0; txn < 200; txn++) {
        sqlite3 *w = db[next_random(&seed) % 2];
        int ops = 1 + (int)(next_random(&seed) % 40);
        bool savepoint = false;
        saved = m;
        sql_exec_ok(w, "BEGIN IMMEDIATE");
        for (int i = 0; i < ops; i++) {
            int k = (int)(next_random(&seed) % MODEL_KEYS);
            unsigned op = next_random(&seed) % 10;
            if (op == 0 && !savepoint) {
                sql_exec_ok(w, "SAVEPOINT s");
                inner = m;
                savepoint = true;
            } else if (op == 1 && savepoint) {
                sql_exec_ok(w, "ROLLBACK TO s");
                sql_exec_ok(w, "RELEASE s");
                m = inner;
                savepoint = false;
            } else if (op <= 3) {
                snprintf(sql, sizeof(sql), "DELETE FROM kv WHERE k = %d", k);
                sql_exec_ok(w, sql);
                m.version[k] = 0;
            } else {
                int len = (int)(next_random(&seed) % 3000);
                int ver = m.version[k] + 1;
                snprintf(sql, sizeof(sql),
                         "INSERT OR REPLACE INTO kv VALUES (%d, %d, %d, %d ||"
                         " ':' || %d || ':' || printf('%%.*c', %d,"
                         " char(65 + (%d + %d) %% 26)))",
                         k, ver, len, k, ver, len, k, ver);
                sql_exec_ok(w, sql);
                m.version[k] = ver;
            }
        }
        if (next_random(&seed) % 4 == 0) {
            sql_exec_ok(w, "ROLLBACK");
            m = saved;
        } else {
            sql_exec_ok(w, "COMMIT");
        }
        if (txn % 25 == 24)
            sql_exec_ok(w, "VACUUM");
        matches_model(db[0], &m);
        matches_model(db[1], &m);
    }
    sql_integrity_ok(db[0]);
}

/* Two connections to a store, one with a cache of 16 pages so that pages
 * are recycled all the time, each seeing the other's changes. */
TEST(store_pcache_random_workload_matches_a_model)
{
    struct sarhad_error err;
    char path[300];
    sqlite3 *db[2];

    snprintf(path, sizeof(path), "%s/pcache-model.db", test_tmpdir());
    ASSERT_OK(
        sarhad__store_open(&db[0], path, SARHAD__STORE_CREATE, "OFF", &err));
    ASSERT_OK(
        sarhad__store_open(&db[1], path, SARHAD__STORE_READWRITE, "OFF", &err));
    sql_exec_ok(db[1], "PRAGMA cache_size=16");
    random_workload(db, 20261130);
    sqlite3_close(db[1]);
    sqlite3_close(db[0]);
}

/* The cache serves every database in the process, in memory too, where
 * its caches cannot shed pages and, with auto_vacuum, a deletion renumbers
 * pages through one past the end of the database (sqlite3PagerMovepage).
 * A guard that the wrapper works there at all (its page numbers kept
 * clear of SQLite's own per-page space, renumbering followed); it does not
 * fail when truncations are wrongly skipped, since SQLite initialises
 * every page it adds back. */
TEST(store_pcache_random_workload_in_memory_with_auto_vacuum)
{
    sqlite3 *db[2];

    ASSERT_EQ_INT(SQLITE_OK, sqlite3_open(":memory:", &db[0]));
    db[1] = db[0];
    sql_exec_ok(db[0], "PRAGMA auto_vacuum=FULL");
    random_workload(db, 20261201);
    ASSERT_EQ_INT(1, (int)sql_int(db[0], "PRAGMA auto_vacuum"));
    sqlite3_close(db[0]);
}
