/*
 * test_store_backup.c - the online backup: the copy is the store as of one
 * commit even when the writer commits while it is being made, it is whole
 * and sound, and a backup never replaces a file or leaves a half-copy.
 */
#include "ledger_fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct mid_copy {
    struct sarhad_ledger *writer;
    unsigned calls;
    uint64_t first_done, last_done, total;
    enum sarhad_status recorded;
};

/* Called between the copy's steps: the writer records a crossing then,
 * which must not show in the copy. */
static void
record_meanwhile(void *ctx, uint64_t done, uint64_t total)
{
    struct mid_copy *m = ctx;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t id;

    if (m->calls++ == 0) {
        m->first_done = done;
        begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 12, 1), "PAK");
        numbered(&p, SARHAD_DOC_CNIC, "17301-1234567-1");
        m->recorded = sarhad_ledger_cross(m->writer, &p, &officer, 1700000000,
                                          &d, &id, NULL);
    }
    m->last_done = done;
    m->total = total;
}

static void
path_in_tmp(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", test_tmpdir(), name);
    remove(out);
}

TEST(store_backup_copies_one_commit_while_the_writer_goes_on)
{
    struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_store *store, *copy = NULL;
    struct sarhad_store_backup_info info;
    struct sarhad_ledger *ledger;
    struct mid_copy m = {0};
    char src[300], dst[300];
    long long before;

    store = fresh("backup_src.db", &ledger);
    ASSERT(store != NULL);
    /* Enough traffic for the copy to take several steps of 1,024 pages. */
    ASSERT_OK(sarhad_ledger_generate(ledger, D(2023, 11, 1), 4, 800, 7,
                                     &officer, NULL, NULL, NULL));
    before = scalar(store, "SELECT count(*) FROM attempt");
    ASSERT(before > 0);
    path_in_tmp(dst, sizeof(dst), "backup_copy.db");
    snprintf(src, sizeof(src), "%s/backup_src.db", test_tmpdir());
    m.writer = ledger;
    ASSERT_OK(sarhad_store_backup(src, dst, record_meanwhile, &m, &info, NULL));
    /* The writer's crossing went in between two steps of the copy... */
    ASSERT_OK(m.recorded);
    ASSERT(m.calls >= 2);
    ASSERT(m.first_done < m.total);
    ASSERT(m.last_done == m.total);
    ASSERT(info.pages == m.total);
    ASSERT(info.bytes == info.pages * 4096);
    ASSERT_EQ_INT((int)before + 1,
                  (int)scalar(store, "SELECT count(*) FROM attempt"));
    /* ... and the copy is the store as it was before it: whole, sound, a
     * single file. */
    ASSERT_OK(sarhad_store_open(&copy, dst, &ro, NULL));
    ASSERT_EQ_INT((int)before,
                  (int)scalar(copy, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(0, (int)problems_shown(copy, true));
    sarhad_store_close(copy);
    copy = NULL;
    {
        char wal[320];
        struct stat st;
        snprintf(wal, sizeof(wal), "%s-wal", dst);
        ASSERT(stat(wal, &st) != 0);
        ASSERT(stat(dst, &st) == 0 && (st.st_mode & 077) == 0);
    }
    /* The copy is a store like any: a writer can go on from it. */
    {
        struct sarhad_store_options rw = {false, false, "OFF"};
        struct sarhad_ledger *again = NULL;
        struct sarhad_presentation p;
        struct sarhad_decision d;
        int64_t id;
        ASSERT_OK(sarhad_store_open(&copy, dst, &rw, NULL));
        ASSERT_OK(sarhad_ledger_open(&again, copy, NULL));
        begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 12, 2), "PAK");
        numbered(&p, SARHAD_DOC_CNIC, "17301-7654321-1");
        ASSERT_OK(sarhad_ledger_cross(again, &p, &officer, 1700000000, &d, &id,
                                      NULL));
        ASSERT_EQ_INT((int)before + 1, (int)id);
        ASSERT_EQ_INT(0, (int)problems_shown(copy, true));
        sarhad_ledger_close(again);
        sarhad_store_close(copy);
    }
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

/* Names in the test directory that start with prefix. */
static unsigned
files_starting(const char *prefix)
{
    DIR *d = opendir(test_tmpdir());
    struct dirent *e;
    unsigned n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

TEST(store_backup_never_replaces_a_file_nor_leaves_half_a_copy)
{
    struct sarhad_store *store;
    struct sarhad_ledger *ledger;
    struct sarhad_error err;
    char src[300], dst[300], missing[300];
    FILE *f;
    char buf[32] = {0};

    store = fresh("backup_keep.db", &ledger);
    ASSERT(store != NULL);
    snprintf(src, sizeof(src), "%s/backup_keep.db", test_tmpdir());
    path_in_tmp(dst, sizeof(dst), "backup_existing.db");
    f = fopen(dst, "w");
    ASSERT(f != NULL);
    fputs("someone's file", f);
    fclose(f);
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_store_backup(src, dst, NULL, NULL, NULL, &err));
    ASSERT_EQ_STR("target", err.field);
    f = fopen(dst, "r");
    ASSERT(f != NULL);
    ASSERT(fgets(buf, sizeof(buf), f) != NULL);
    fclose(f);
    ASSERT_EQ_STR("someone's file", buf);
    /* A target that cannot be written: an error, and nothing left. */
    snprintf(missing, sizeof(missing), "%s/no-such-dir/copy.db", test_tmpdir());
    ASSERT_EQ_INT(SARHAD_EIO,
                  sarhad_store_backup(src, missing, NULL, NULL, NULL, &err));
    ASSERT(strstr(err.message, "No such file") != NULL);
    /* A file that is not a sarhad store is not copied. */
    path_in_tmp(missing, sizeof(missing), "backup_of_junk.db");
    ASSERT_EQ_INT(SARHAD_EDB,
                  sarhad_store_backup(dst, missing, NULL, NULL, NULL, &err));
    ASSERT_EQ_INT(0, (int)files_starting("backup_of_junk.db"));
    ASSERT_EQ_INT(0, (int)files_starting("backup_existing.db.partial"));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(store_backup_leaves_out_what_is_not_committed_and_takes_any_schema)
{
    struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_store *store, *copy = NULL;
    struct sarhad_ledger *ledger;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    char src[300], dst[300];
    int64_t id;

    store = fresh("backup_batch.db", &ledger);
    ASSERT(store != NULL);
    snprintf(src, sizeof(src), "%s/backup_batch.db", test_tmpdir());
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 12, 1), "PAK");
    numbered(&p, SARHAD_DOC_CNIC, "17301-1234567-1");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, &id, NULL));
    /* A batch in progress: its crossing is not in the copy. */
    ASSERT_OK(sarhad_store_begin(store, NULL));
    numbered(&p, SARHAD_DOC_CNIC, "17301-7654321-1");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, &id, NULL));
    path_in_tmp(dst, sizeof(dst), "backup_batch_copy.db");
    ASSERT_OK(sarhad_store_backup(src, dst, NULL, NULL, NULL, NULL));
    ASSERT_OK(sarhad_store_commit(store, NULL));
    ASSERT_OK(sarhad_store_open(&copy, dst, &ro, NULL));
    ASSERT_EQ_INT(1, (int)scalar(copy, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(0, (int)problems(copy));
    sarhad_store_close(copy);
    ASSERT_EQ_INT(2, (int)scalar(store, "SELECT count(*) FROM attempt"));
    /* A store an older sarhad wrote (a component a version behind) is
     * copied as it is: the copy is what the upgrade would start from. */
    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_exec(store->db,
                               "UPDATE schema_version SET version = version"
                               " - 1 WHERE component = 'ledger'",
                               NULL, NULL, NULL));
    path_in_tmp(dst, sizeof(dst), "backup_old_copy.db");
    ASSERT_OK(sarhad_store_backup(src, dst, NULL, NULL, NULL, &err));
    ASSERT_EQ_INT(SARHAD_EDB, sarhad_store_open(&copy, dst, &ro, &err));
    ASSERT(strstr(err.message, "out of date") != NULL);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
