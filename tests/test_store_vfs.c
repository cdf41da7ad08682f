/*
 * test_store_vfs.c - the log files behind every store (src/store_vfs.c)
 * gather a commit's frames into few writes, and what they write is the log
 * SQLite would have written: a process that dies without closing leaves a
 * log from which a new connection recovers every committed transaction and
 * nothing else.  The dying process spills pages of unfinished transactions
 * into the log (a five-page cache), writes pages twice in one transaction
 * (SQLite then rewrites frame headers in place) and rolls some transactions
 * back; it runs with shared memory and with the wal-index in its own
 * memory (exclusive locking), where only the commit frame can put a commit
 * into the file.  A reader must see every commit and no spilled page, and a
 * writer's rolled-back frames must never land on another's commit.  Each
 * rule of the gathering has a test here that fails without it.
 */
#include "test.h"

#include "../src/internal.h"
#include "sql_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

TEST(store_vfs_writes_a_commits_frames_together)
{
    struct sarhad__vfs_stats before, after;
    struct sarhad_error err;
    char path[300];
    sqlite3 *db;
    long long frames, writes;

    snprintf(path, sizeof(path), "%s/vfs-gather.db", test_tmpdir());
    ASSERT_OK(sarhad__store_open(&db, path, SARHAD__STORE_CREATE, "OFF", &err));
    sql_exec_ok(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
    sarhad__store_vfs_stats(&before);
    ASSERT(before.installed);
    /* About 250 pages in one commit. */
    sql_exec_ok(db,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM"
                " n WHERE i < 1000) INSERT INTO t SELECT i, randomblob(1000)"
                " FROM n");
    sarhad__store_vfs_stats(&after);
    frames = (long long)(after.frames_gathered - before.frames_gathered);
    writes = (long long)(after.writes_out - before.writes_out);
    ASSERT(frames >= 240);
    /* 31 frames of 4 KiB pages fit one write. */
    ASSERT(writes <= frames / 25);
    ASSERT_EQ_INT(1000, sql_int(db, "SELECT count(*) FROM t"));
    sqlite3_close(db);
}

/* The dying writer's workload: transaction i (from 1) sets the rows
 * whose id is a multiple of i % 7 + 1 below rows_of(i) to version i, in
 * random-length text; every fifth is rolled back. */
#define TRANSACTIONS 60
#define ROWS         1500
#define LAST_STEP    499 /* the last commit's rows: 1, 500, 1000, 1499 */

static int
rows_of(int i)
{
    return 300 + (i * 211) % (ROWS - 300);
}

static bool
rolled_back(int i)
{
    return i % 5 == 0;
}

/* The text a row holds at a version, 40 to 1,040 bytes. */
static char *
text_of(int id, int version)
{
    int len = 40 + (id * 7919 + version * 104729) % 1000;
    char *s = malloc((size_t)len + 1);

    for (int k = 0; k < len; k++)
        s[k] = (char)('a' + (id + version + k) % 26);
    s[len] = '\0';
    return s;
}

/* How the dying writer dies: right after its last commit; in a
 * transaction after it; right after it with the wal-index in its own
 * memory (locking_mode=EXCLUSIVE before the log is first opened), where
 * SQLite locks and fences no shared memory, so only the commit frame
 * itself puts a commit into the file; the same, its last commit a large
 * one whose frame headers SQLite rewrote in place (the loop's 59th, with
 * no small commit after it). */
enum death {
    AFTER_COMMIT,
    IN_TRANSACTION,
    EXCLUSIVE_AFTER_COMMIT,
    EXCLUSIVE_AFTER_REWRITES
};

static bool
exclusive(enum death death)
{
    return death == EXCLUSIVE_AFTER_COMMIT || death == EXCLUSIVE_AFTER_REWRITES;
}

/* The loop's last transaction (the small commit follows it, but for
 * EXCLUSIVE_AFTER_REWRITES). */
static int
last_of(enum death death)
{
    return death == EXCLUSIVE_AFTER_REWRITES ? TRANSACTIONS - 1 : TRANSACTIONS;
}

static int
open_writer(const char *path, enum death death, sqlite3 **db)
{
    struct sarhad_error err;

    if (!exclusive(death))
        return sarhad__store_open(db, path, SARHAD__STORE_CREATE, "NORMAL",
                                  &err) == SARHAD_OK
                   ? 0
                   : 2;
    sarhad__store_configure();
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(*db,
                     "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL;"
                     " PRAGMA synchronous=NORMAL",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 2;
    return 0;
}

static int
run_writer(const char *path, enum death death)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;

    if (open_writer(path, death, &db) != 0)
        return 2;
    /* A tiny cache spills every transaction's pages into the log before
     * it commits, and rewrites many of them there; nothing is copied back
     * into the database, so only the log holds the rows. */
    if (sqlite3_exec(db,
                     "PRAGMA cache_size=5; PRAGMA cache_spill=1;"
                     " PRAGMA wal_autocheckpoint=0;"
                     " CREATE TABLE t(id INTEGER PRIMARY KEY, version INTEGER,"
                     " v TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO t(id, version, v) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(id) DO UPDATE SET version = ?2,"
                           " v = ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return 3;
    for (int i = 1; i <= last_of(death); i++) {
        int step = i % 7 + 1;
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (int id = 0; id < rows_of(i); id += step) {
            char *v = text_of(id, i);
            sqlite3_bind_int(st, 1, id);
            sqlite3_bind_int(st, 2, i);
            sqlite3_bind_text(st, 3, v, -1, free);
            if (sqlite3_step(st) != SQLITE_DONE)
                return 4;
            sqlite3_reset(st);
        }
        if (sqlite3_exec(db, rolled_back(i) ? "ROLLBACK" : "COMMIT", NULL, NULL,
                         NULL) != SQLITE_OK)
            return 5;
    }
    if (death == EXCLUSIVE_AFTER_REWRITES)
        _exit(0);
    /* A last commit of a few rows on as many pages, too small to spill or
     * rewrite anything: nothing but its own commit frame puts it into the
     * file. */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int id = 1; id < ROWS; id += LAST_STEP) {
        char *v = text_of(id, TRANSACTIONS + 1);
        sqlite3_bind_int(st, 1, id);
        sqlite3_bind_int(st, 2, TRANSACTIONS + 1);
        sqlite3_bind_text(st, 3, v, -1, free);
        if (sqlite3_step(st) != SQLITE_DONE)
            return 6;
        sqlite3_reset(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return 7;
    /* Die right after it, or in one more transaction, the log holding
     * that one's spilled pages. */
    if (death == IN_TRANSACTION) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        sqlite3_exec(db, "UPDATE t SET version = -1, v = zeroblob(900)", NULL,
                     NULL, NULL);
    }
    _exit(0); /* no close, no checkpoint: the log is all there is */
}

static void
recovers_every_commit(const char *name, enum death death)
{
    struct sarhad_error err;
    char path[300];
    int version[ROWS] = {0}, status = -1;
    pid_t pid;
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    int rows = 0;

    snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
    pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0)
        _exit(run_writer(path, death));
    ASSERT_EQ_INT(pid, waitpid(pid, &status, 0));
    ASSERT(WIFEXITED(status));
    ASSERT_EQ_INT(0, WEXITSTATUS(status));
    for (int i = 1; i <= last_of(death); i++)
        if (!rolled_back(i))
            for (int id = 0; id < rows_of(i); id += i % 7 + 1)
                version[id] = i;
    for (int id = 1; death != EXCLUSIVE_AFTER_REWRITES && id < ROWS;
         id += LAST_STEP)
        version[id] = TRANSACTIONS + 1;

    /* The first connection after the crash rebuilds the wal-index from
     * the log file, checking every frame's checksum. */
    ASSERT_OK(
        sarhad__store_open(&db, path, SARHAD__STORE_READWRITE, NULL, &err));
    ASSERT_EQ_INT(
        SQLITE_OK,
        sqlite3_prepare_v2(db, "SELECT id, version, v FROM t", -1, &st, NULL));
    while (sqlite3_step(st) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0), v = sqlite3_column_int(st, 1);
        char *want;
        ASSERT(id >= 0 && id < ROWS);
        ASSERT_EQ_INT(version[id], v);
        want = text_of(id, v);
        if (strcmp(want, (const char *)sqlite3_column_text(st, 2)) != 0) {
            free(want);
            ASSERT(!"a row's text is not what its version wrote");
        }
        free(want);
        rows++;
    }
    sqlite3_finalize(st);
    for (int id = 0; id < ROWS; id++)
        if (version[id] != 0)
            rows--;
    ASSERT_EQ_INT(0, rows);
    sql_integrity_ok(db);
    sqlite3_close(db);
}

TEST(store_vfs_log_recovers_every_commit_after_a_crash)
{
    recovers_every_commit("vfs-crash-after-commit.db", AFTER_COMMIT);
}

TEST(store_vfs_log_recovers_commits_not_a_transaction_under_way)
{
    recovers_every_commit("vfs-crash-in-transaction.db", IN_TRANSACTION);
}

TEST(store_vfs_log_recovers_every_commit_of_an_exclusive_writer)
{
    recovers_every_commit("vfs-crash-exclusive.db", EXCLUSIVE_AFTER_COMMIT);
}

TEST(store_vfs_log_recovers_an_exclusive_writers_rewritten_commit)
{
    recovers_every_commit("vfs-crash-rewritten.db", EXCLUSIVE_AFTER_REWRITES);
}

TEST(store_vfs_reader_sees_commits_not_spilled_pages)
{
    struct sarhad_error err;
    char path[300];
    sqlite3 *writer, *reader;

    snprintf(path, sizeof(path), "%s/vfs-reader.db", test_tmpdir());
    ASSERT_OK(
        sarhad__store_open(&writer, path, SARHAD__STORE_CREATE, "OFF", &err));
    sql_exec_ok(writer, "PRAGMA cache_size=5;"
                        " CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
    sql_exec_ok(writer, "INSERT INTO t VALUES (1, zeroblob(100))");
    ASSERT_OK(
        sarhad__store_open(&reader, path, SARHAD__STORE_READONLY, NULL, &err));
    for (int round = 0; round < 20; round++) {
        long long before = sql_int(reader, "SELECT count(*) FROM t");
        /* A transaction larger than the cache: its pages go to the log,
         * some of them held in the gathered write, before it commits. */
        sql_exec_ok(writer, "BEGIN");
        sql_exec_ok(writer, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT"
                            " i + 1 FROM n WHERE i < 200) INSERT INTO t(v)"
                            " SELECT randomblob(700) FROM n");
        ASSERT_EQ_INT(before, sql_int(reader, "SELECT count(*) FROM t"));
        sql_exec_ok(writer, round % 3 == 2 ? "ROLLBACK" : "COMMIT");
        ASSERT_EQ_INT(before + (round % 3 == 2 ? 0 : 200),
                      sql_int(reader, "SELECT count(*) FROM t"));
        ASSERT_EQ_INT(sql_int(writer, "SELECT sum(length(v)) FROM t"),
                      sql_int(reader, "SELECT sum(length(v)) FROM t"));
    }
    sql_integrity_ok(reader);
    sqlite3_close(reader);
    sqlite3_close(writer);
}

TEST(store_vfs_rolled_back_frames_never_land_on_anothers_commit)
{
    struct sarhad_error err;
    char path[300];
    sqlite3 *a, *b, *after;

    snprintf(path, sizeof(path), "%s/vfs-two-writers.db", test_tmpdir());
    ASSERT_OK(sarhad__store_open(&a, path, SARHAD__STORE_CREATE, "OFF", &err));
    sql_exec_ok(a, "PRAGMA cache_size=5; PRAGMA wal_autocheckpoint=0;"
                   " CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
    ASSERT_OK(
        sarhad__store_open(&b, path, SARHAD__STORE_READWRITE, "OFF", &err));
    sql_exec_ok(b, "PRAGMA wal_autocheckpoint=0");
    /* From the top of an emptied log, A spills a transaction's pages (a
     * 60 KB value's overflow pages through a five-page cache, fewer than
     * one gathered write holds) and takes it back; page 1 is not in the
     * log, so the rollback reads nothing from it.  Those frames were never
     * committed. */
    sql_exec_ok(a, "PRAGMA wal_checkpoint(TRUNCATE)");
    sql_exec_ok(a, "BEGIN");
    sql_exec_ok(a, "INSERT INTO t(v) VALUES (zeroblob(60000))");
    sql_exec_ok(a, "ROLLBACK");
    /* B commits more pages at that same place in the log... */
    sql_exec_ok(b, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                   " FROM n WHERE i < 200) INSERT INTO t(v)"
                   " SELECT randomblob(900) FROM n");
    /* ...and A reads and closes: nothing of its own may reach the file. */
    ASSERT_EQ_INT(200, sql_int(a, "SELECT count(*) FROM t"));
    sqlite3_close(a);
    sqlite3_close(b);
    /* B's rows are whole, and so is the file they were copied into. */
    ASSERT_OK(
        sarhad__store_open(&after, path, SARHAD__STORE_READONLY, NULL, &err));
    ASSERT_EQ_INT(200, sql_int(after, "SELECT count(*) FROM t"));
    ASSERT_EQ_INT(0, sql_int(after, "SELECT count(*) FROM t"
                                    " WHERE v = zeroblob(900)"));
    sql_integrity_ok(after);
    sqlite3_close(after);
}
