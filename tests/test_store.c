/*
 * test_store.c - opening stores and per-component schema migrations:
 * steps apply once and in order, a failing step leaves the previous whole
 * version, a newer store is refused, a non-database file is named as such.
 */
#include "test.h"

#include "../src/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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

/* How many of this process's threads run at the nice value given
 * (/proc/self/task/TID/stat: the 19th field, counted past the name). */
static int
threads_at_niceness(int niceness)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[300], line[1024], *close_paren;
        int ni = 0;
        FILE *f;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
        f = fopen(path, "r");
        if (f == NULL)
            continue;
        close_paren = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
        fclose(f);
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt
         * cmajflt utime stime cutime cstime priority nice */
        if (close_paren != NULL &&
            sscanf(close_paren + 1,
                   " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d"
                   " %*d %*d %d",
                   &ni) == 1 &&
            ni == niceness)
            n++;
    }
    closedir(d);
    return n;
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
    /* The checkpointer yields to the threads that record (and answer). */
    errno = 0;
    int own = getpriority(PRIO_PROCESS, 0);
    ASSERT_EQ_INT(0, errno);
    if (own + 10 <= 19)
        ASSERT_EQ_INT(1, threads_at_niceness(own + 10));
    sarhad_store_close(a);
    ASSERT_EQ_INT(0, test_alloc_live());
}

/* The log's checkpoint sequence number (WAL header, bytes 12-15, big
 * endian): SQLite counts each time the log starts over from the top. */
static unsigned
log_restarts(const char *wal)
{
    unsigned char h[16] = {0};
    FILE *f = fopen(wal, "rb");

    if (f != NULL) {
        if (fread(h, 1, sizeof(h), f) != sizeof(h))
            memset(h, 0, sizeof(h));
        fclose(f);
    }
    return (unsigned)h[12] << 24 | (unsigned)h[13] << 16 |
           (unsigned)h[14] << 8 | h[15];
}

static void
fill(struct sarhad_store *a)
{
    struct sarhad_error err;

    ASSERT_OK(sarhad__store_exec(a->db,
                                 "INSERT INTO filler VALUES"
                                 " (randomblob(3000)), (randomblob(3000))",
                                 &err));
}

static int
filler_rows(struct sarhad_store *a)
{
    sqlite3_stmt *q;
    int n = -1;

    if (sqlite3_prepare_v2(a->db, "SELECT count(*) FROM filler", -1, &q,
                           NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Past its limit the writer rewinds the log itself, after the commit that
 * crossed it (store_checkpoint.c).  The background checkpointer is never
 * asked here, so nothing else would: the log would hold all 1,500 pages. */
TEST(store_log_rewound_past_its_limit)
{
    char path[300], wal[310];
    struct sarhad_store *a = NULL;
    struct sarhad_store_options create = {true, false, "NORMAL"};
    struct stat st;
    struct sarhad_error err;
    off_t largest = 0;

    snprintf(path, sizeof(path), "%s/rewound.db", test_tmpdir());
    snprintf(wal, sizeof(wal), "%s-wal", path);
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    ASSERT_OK(sarhad_store_checkpoint_in_background(a, &err));
    sarhad__store_checkpoint_pages(a, 1 << 30, 64);
    ASSERT_OK(sarhad__store_exec(a->db, "CREATE TABLE filler(x BLOB)", &err));
    /* Creating the schema is one large commit (every component's tables,
     * past the limit by itself); start from an empty log, so that what is
     * measured is the rewinds of ordinary commits. */
    ASSERT_OK(
        sarhad__store_exec(a->db, "PRAGMA wal_checkpoint(TRUNCATE)", &err));
    /* 400 commits of two rows of 3,000 bytes: about 1,500 pages (6 MiB). */
    for (int i = 0; i < 400; i++) {
        fill(a);
        ASSERT_EQ_INT(0, stat(wal, &st));
        if (st.st_size > largest)
            largest = st.st_size;
    }
    /* The limit and one commit's pages, from the top each time. */
    ASSERT(largest < 32 + 80 * (4096 + 24));
    ASSERT(log_restarts(wal) >= 15);
    ASSERT_EQ_INT(800, filler_rows(a));
    sarhad_store_close(a);
    ASSERT_EQ_INT(0, test_alloc_live());
}

/* With the checkpointer copying while the writer commits (a steady
 * stream), SQLite alone would never start the log over; the writer does,
 * once the checkpointer is idle.  How far the log gets before that depends
 * on when the checkpointer thread runs, so what is asserted is that it is
 * rewound again and again, not a size. */
TEST(store_log_rewound_under_a_stream)
{
    char path[300], wal[310];
    struct sarhad_store *a = NULL;
    struct sarhad_store_options create = {true, false, "NORMAL"};
    struct sarhad_error err;
    int commits = 0;

    snprintf(path, sizeof(path), "%s/stream.db", test_tmpdir());
    snprintf(wal, sizeof(wal), "%s-wal", path);
    ASSERT_OK(sarhad_store_open(&a, path, &create, &err));
    ASSERT_OK(sarhad_store_checkpoint_in_background(a, &err));
    sarhad__store_checkpoint_pages(a, 8, 64);
    ASSERT_OK(sarhad__store_exec(a->db, "CREATE TABLE filler(x BLOB)", &err));
    /* Until three rewinds, or 40,000 commits (600 MiB) on a machine that
     * never lets the checkpointer run. */
    while (log_restarts(wal) < 3 && commits < 40000) {
        fill(a);
        commits++;
    }
    ASSERT(log_restarts(wal) >= 3);
    ASSERT_EQ_INT(2 * commits, filler_rows(a));
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
