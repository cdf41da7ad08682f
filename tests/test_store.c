/*
 * test_store.c - opening stores and per-component schema migrations:
 * steps apply once and in order, a failing step leaves the previous whole
 * version, a newer store is refused, a non-database file is named as such.
 */
#include "test.h"

#include "../src/internal.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const steps_v2[] = {
    "CREATE TABLE t(a INTEGER)",
    "ALTER TABLE t ADD COLUMN b TEXT",
};

TEST(store_migrate_steps)
{
    char path[300];
    sqlite3 *db;
    struct sarhad_error err;
    static const char *const bad[] = {"CREATE TABLE t(a INTEGER)",
                                      "ALTER TABLE t ADD COLUMN b TEXT",
                                      "THIS IS NOT SQL"};

    snprintf(path, sizeof(path), "%s/migrate.db", test_tmpdir());
    ASSERT_OK(sarhad__store_open(&db, path, SARHAD__STORE_CREATE, NULL, &err));
    ASSERT_OK(sarhad__store_migrate(db, "demo", steps_v2, 1, &err));
    ASSERT_EQ_INT(1, sarhad__store_version(db, "demo"));
    ASSERT_OK(sarhad__store_migrate(db, "demo", steps_v2, 2, &err));
    ASSERT_OK(sarhad__store_migrate(db, "demo", steps_v2, 2, &err));
    ASSERT_EQ_INT(2, sarhad__store_version(db, "demo"));
    ASSERT_EQ_INT(0, sarhad__store_version(db, "other"));
    /* A failing step rolls back to the last whole version. */
    ASSERT_EQ_INT(SARHAD_EDB, sarhad__store_migrate(db, "demo", bad, 3, &err));
    ASSERT_EQ_INT(2, sarhad__store_version(db, "demo"));
    /* Code older than the store is refused. */
    ASSERT_EQ_INT(SARHAD_EDB,
                  sarhad__store_migrate(db, "demo", steps_v2, 1, &err));
    ASSERT(strstr(err.message, "newer") != NULL);
    sqlite3_close(db);
}

TEST(store_open_errors)
{
    char path[300];
    sqlite3 *db = NULL;
    struct sarhad_error err;
    FILE *f;

    snprintf(path, sizeof(path), "%s/missing.db", test_tmpdir());
    ASSERT_EQ_INT(
        SARHAD_EIO,
        sarhad__store_open(&db, path, SARHAD__STORE_READWRITE, NULL, &err));
    snprintf(path, sizeof(path), "%s/garbage.db", test_tmpdir());
    f = fopen(path, "wb");
    ASSERT(f != NULL);
    for (int i = 0; i < 4096; i++)
        fputc('x', f);
    fclose(f);
    ASSERT_EQ_INT(
        SARHAD_EDB,
        sarhad__store_open(&db, path, SARHAD__STORE_READWRITE, NULL, &err));
    ASSERT(strstr(err.message, "not a sarhad store") != NULL);
    snprintf(path, sizeof(path), "%s/sync.db", test_tmpdir());
    ASSERT_EQ_INT(
        SARHAD_EINVAL,
        sarhad__store_open(&db, path, SARHAD__STORE_CREATE, "SOMETIMES", &err));
}

TEST(store_open_lock_and_batch)
{
    char path[300];
    struct sarhad_store *a = NULL, *b = NULL, *ro = NULL;
    struct sarhad_store_options create = {true, false, NULL};
    struct sarhad_store_options read_only = {false, true, NULL};
    struct sarhad_error err;

    snprintf(path, sizeof(path), "%s/post.db", test_tmpdir());
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    /* A second writer is refused with a clear reason; a reader is not. */
    ASSERT_EQ_INT(SARHAD_EBUSY, sarhad_store_open(&b, path, &create, &err));
    ASSERT(strstr(err.message, "another sarhad process") != NULL);
    ASSERT_OK(sarhad_store_open(&ro, path, &read_only, &err));
    ASSERT_OK(sarhad_store_begin(a, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_store_begin(a, &err));
    ASSERT_OK(sarhad_store_commit(a, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_store_commit(a, &err));
    sarhad_store_close(ro);
    sarhad_store_close(a);
    sarhad_store_close(NULL);
    ASSERT_OK(sarhad_store_open(&b, path, NULL, &err));
    sarhad_store_close(b);
    ASSERT_EQ_INT(0, test_alloc_live());
}

TEST(store_open_oom_sweep)
{
    char path[300];
    struct sarhad_store *a = NULL;
    struct sarhad_store_options create = {true, false, NULL};
    struct sarhad_error err;

    snprintf(path, sizeof(path), "%s/oom.db", test_tmpdir());
    /* The store struct is the only library allocation (SQLite has its own
     * heap): failing it must give ENOMEM and leak nothing. */
    test_alloc_fail_at(1);
    ASSERT_EQ_INT(SARHAD_ENOMEM, sarhad_store_open(&a, path, &create, &err));
    ASSERT(test_alloc_failed());
    ASSERT_EQ_INT(0, test_alloc_live());
    test_alloc_fail_at(0);
}

TEST(store_checkpoints_in_background)
{
    char path[300];
    struct sarhad_store *a = NULL;
    struct sarhad_store_options create = {true, false, "NORMAL"};
    struct stat before, after;
    struct sarhad_error err;

    snprintf(path, sizeof(path), "%s/ckpt.db", test_tmpdir());
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    ASSERT_OK(sarhad_store_checkpoint_in_background(a, &err));
    ASSERT_OK(sarhad_store_checkpoint_in_background(a, &err)); /* once */
    ASSERT_EQ_INT(0, stat(path, &before));
    ASSERT_OK(sarhad__store_exec(a->db, "CREATE TABLE filler(x BLOB)", &err));
    /* Two commits of ~2,000 pages each: the writer only writes the log... */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(sarhad__store_exec(
            a->db,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
            " WHERE i < 2000) INSERT INTO filler SELECT randomblob(3000)"
            " FROM n",
            &err));
    /* ...and the checkpointer copies it into the database file. */
    for (int tries = 0; tries < 200; tries++) {
        ASSERT_EQ_INT(0, stat(path, &after));
        if (after.st_size > before.st_size + 4 * 1024 * 1024)
            break;
        usleep(10000);
    }
    ASSERT(after.st_size > before.st_size + 4 * 1024 * 1024);
    sarhad_store_close(a);
    ASSERT_EQ_INT(0, test_alloc_live());
}

/* Under a steady stream of commits the writer rewinds the log past its
 * limit: it does not grow with the data (store_checkpoint.c). */
TEST(store_log_stays_bounded_under_a_stream)
{
    char path[300], wal[310];
    struct sarhad_store *a = NULL;
    struct sarhad_store_options create = {true, false, "NORMAL"};
    struct stat st;
    struct sarhad_error err;
    off_t largest = 0;
    sqlite3_stmt *q;

    snprintf(path, sizeof(path), "%s/bounded.db", test_tmpdir());
    snprintf(wal, sizeof(wal), "%s-wal", path);
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    ASSERT_OK(sarhad_store_checkpoint_in_background(a, &err));
    sarhad__store_checkpoint_pages(a, 8, 64);
    ASSERT_OK(sarhad__store_exec(a->db, "CREATE TABLE filler(x BLOB)", &err));
    /* 400 commits of two rows of 3,000 bytes, about 1,500 pages (6 MiB)
     * through a log whose limit is 64 pages. */
    for (int i = 0; i < 400; i++) {
        ASSERT_OK(sarhad__store_exec(a->db,
                                     "INSERT INTO filler VALUES"
                                     " (randomblob(3000)), (randomblob(3000))",
                                     &err));
        ASSERT_EQ_INT(0, stat(wal, &st));
        if (st.st_size > largest)
            largest = st.st_size;
    }
    /* Rewound and reused from the top, the file stays within a few times
     * the limit (a checkpointer running late leaves the rewind to a later
     * commit), far below what went through it. */
    ASSERT(largest < 800 * (4096 + 24));
    ASSERT_EQ_INT(
        SQLITE_OK,
        sqlite3_prepare_v2(a->db, "SELECT count(*) FROM filler", -1, &q, NULL));
    ASSERT_EQ_INT(SQLITE_ROW, sqlite3_step(q));
    ASSERT_EQ_INT(800, sqlite3_column_int(q, 0));
    sqlite3_finalize(q);
    sarhad_store_close(a);
    ASSERT_EQ_INT(0, test_alloc_live());
}

TEST(store_flush_makes_commits_durable)
{
    char path[300];
    struct sarhad_store *a = NULL, *ro = NULL;
    struct sarhad_store_options create = {true, false, "NORMAL"};
    struct sarhad_store_options read_only = {false, true, NULL};
    struct sarhad_error err;

    snprintf(path, sizeof(path), "%s/flush.db", test_tmpdir());
    remove(path);
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    ASSERT_OK(sarhad_store_flush(a, &err)); /* whatever the log holds */
    ASSERT_OK(sarhad__store_exec(a->db, "CREATE TABLE t(x)", &err));
    ASSERT_OK(sarhad_store_begin(a, &err));
    ASSERT_OK(sarhad__store_exec(a->db, "INSERT INTO t VALUES (1)", &err));
    ASSERT_OK(sarhad_store_commit(a, &err));
    ASSERT_OK(sarhad_store_flush(a, &err));
    ASSERT(a->wal_fd >= 0); /* the log was opened, and flushed */
    ASSERT_OK(sarhad_store_open(&ro, path, &read_only, &err));
    ASSERT_OK(sarhad_store_flush(ro, &err)); /* nothing to do */
    sarhad_store_close(ro);
    sarhad_store_close(a);
    ASSERT_EQ_INT(0, test_alloc_live());
}
