/*
 * test_store_pcache.c - the page cache behind every store
 * (src/store_pcache.c) skips the truncations that have nothing to remove
 * and never keeps a page that a truncation should have dropped: a
 * rolled-back growth of the file, rebuilt with other content, reads back
 * as the new content on the same connection and on another, and SQLite's
 * integrity check passes after thousands of small commits that rebalance
 * b-trees (the swaps through the page after the pending-byte page).
 */
#include "test.h"

#include "../src/internal.h"

#include <stdio.h>
#include <string.h>

static void
exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK)
        fprintf(stderr, "    %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    ASSERT_EQ_INT(SQLITE_OK, rc);
}

/* One integer from sql; -1 when it cannot be read. */
static long long
query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void
integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;

    ASSERT_EQ_INT(SQLITE_OK, sqlite3_prepare_v2(db, "PRAGMA integrity_check",
                                                -1, &st, NULL));
    ASSERT_EQ_INT(SQLITE_ROW, sqlite3_step(st));
    ASSERT_EQ_STR("ok", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

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
            exec_ok(db, "BEGIN");
        sqlite3_bind_int(st, 1, i);
        ASSERT_EQ_INT(SQLITE_DONE, sqlite3_step(st));
        sqlite3_reset(st);
        if ((i - from) % per_commit == per_commit - 1 || i == from + count - 1)
            exec_ok(db, "COMMIT");
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
    exec_ok(db, "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    insert_scattered(db, 0, 20000, 8);
    sarhad__store_pcache_stats(&after);
    /* Every commit truncates the cache to the file's size; nearly all of
     * them had nothing past it to remove. */
    ASSERT(after.truncations_skipped - before.truncations_skipped >= 2000);
    ASSERT_EQ_INT(20000, query_int(db, "SELECT count(*) FROM k"));
    integrity_ok(db);
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
    exec_ok(db, "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    exec_ok(db, "CREATE TABLE big(id INTEGER PRIMARY KEY, v BLOB)");
    insert_scattered(db, 0, 2000, 4);
    pages = query_int(db, "PRAGMA page_count");
    sarhad__store_pcache_stats(&before);
    /* Grow the file by hundreds of pages, then take it all back: the
     * pages past the old end are cached and must go. */
    exec_ok(db, "BEGIN");
    exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM"
                " n WHERE i < 400) INSERT INTO big SELECT i, randomblob(3000)"
                " FROM n");
    ASSERT(query_int(db, "PRAGMA page_count") > pages + 300);
    exec_ok(db, "ROLLBACK");
    sarhad__store_pcache_stats(&after);
    ASSERT(after.truncations_passed > before.truncations_passed);
    ASSERT_EQ_INT(pages, query_int(db, "PRAGMA page_count"));
    ASSERT_EQ_INT(0, query_int(db, "SELECT count(*) FROM big"));
    /* The same page numbers, written again with other content, read back
     * as that content here and on a fresh connection. */
    exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM"
                " n WHERE i < 400) INSERT INTO big SELECT i, zeroblob(3000)"
                " FROM n");
    insert_scattered(db, 2000, 2000, 4);
    ASSERT_EQ_INT(0, query_int(db, "SELECT count(*) FROM big"
                                   " WHERE v != zeroblob(3000)"));
    ASSERT_EQ_INT(400, query_int(db, "SELECT count(*) FROM big"));
    ASSERT_EQ_INT(4000, query_int(db, "SELECT count(*) FROM k"));
    integrity_ok(db);
    ASSERT_OK(
        sarhad__store_open(&other, path, SARHAD__STORE_READONLY, NULL, &err));
    ASSERT_EQ_INT(0, query_int(other, "SELECT count(*) FROM big"
                                      " WHERE v != zeroblob(3000)"));
    ASSERT_EQ_INT(4000, query_int(other, "SELECT count(*) FROM k"));
    integrity_ok(other);
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
    exec_ok(writer,
            "CREATE TABLE k(key TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    insert_scattered(writer, 0, 3000, 50);
    ASSERT_OK(
        sarhad__store_open(&reader, path, SARHAD__STORE_READONLY, NULL, &err));
    /* The reader caches every page of the table... */
    ASSERT_EQ_INT(3000, query_int(reader, "SELECT count(*) FROM k"
                                          " WHERE v = zeroblob(300)"));
    /* ...which the writer then changes in place: when the reader next
     * begins to read, its whole cache must go (a truncation to nothing). */
    exec_ok(writer, "UPDATE k SET v = randomblob(300)");
    ASSERT_EQ_INT(0, query_int(reader, "SELECT count(*) FROM k"
                                       " WHERE v = zeroblob(300)"));
    integrity_ok(reader);
    sqlite3_close(reader);
    sqlite3_close(writer);
}
