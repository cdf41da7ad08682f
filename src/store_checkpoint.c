/*
 * store_checkpoint.c - WAL checkpoints on a thread of their own.  A commit
 * that leaves many pages in the write-ahead log would otherwise copy them
 * back into the database file itself (SQLite's automatic checkpoint), and
 * with synchronous=FULL also wait for a second fsync, on the writer's own
 * time.  Here the writer's commits only count the pages; once enough wait,
 * a thread with its own connection to the same file runs the PASSIVE
 * checkpoint while the writer goes on recording (WAL lets both proceed:
 * the checkpoint copies only frames already committed).
 */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* SQLite's own automatic checkpoint threshold, kept. */
#define CHECKPOINT_PAGES 1000

struct sarhad__checkpointer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 *db; /* the checkpointer's own connection */
    bool due, stop;
};

/* The writer's WAL hook: runs after each of its commits. */
static int
wal_committed(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct sarhad__checkpointer *c = arg;

    (void)db;
    (void)name;
    if (pages < CHECKPOINT_PAGES)
        return SQLITE_OK;
    pthread_mutex_lock(&c->mu);
    if (!c->due) {
        c->due = true;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return SQLITE_OK;
}

static void *
checkpoint_main(void *arg)
{
    struct sarhad__checkpointer *c = arg;

    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->due && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop)
            break;
        c->due = false;
        pthread_mutex_unlock(&c->mu);
        /* A checkpoint that cannot run now (the file busy, an I/O error)
         * leaves the pages in the log, where they are safe; the next
         * commit over the threshold asks again. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                  NULL);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* The writer's synchronous level (0 OFF to 3 EXTRA). */
static int
synchronous_of(sqlite3 *db)
{
    sqlite3_stmt *st;
    int level = 2;

    if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL) !=
        SQLITE_OK)
        return level;
    if (sqlite3_step(st) == SQLITE_ROW)
        level = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return level;
}

enum sarhad_status
sarhad_store_checkpoint_in_background(struct sarhad_store *store,
                                      struct sarhad_error *err)
{
    struct sarhad__checkpointer *c;
    const char *path;
    char sync[32];
    int rc;

    if (store == NULL || store->read_only || store->checkpointer != NULL)
        return SARHAD_OK;
    path = sqlite3_db_filename(store->db, "main");
    c = sarhad__calloc(1, sizeof(*c));
    if (c == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "store", SIZE_MAX, NULL);
    rc = sqlite3_open_v2(path, &c->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    /* The checkpoint makes the database file as durable as the writer's
     * commits made the log. */
    snprintf(sync, sizeof(sync), "PRAGMA synchronous=%d",
             synchronous_of(store->db));
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, sync, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(c->db, 100);
    if (rc != SQLITE_OK) {
        enum sarhad_status s =
            sarhad__store_fail(c->db, rc, "open the checkpointer", err);
        sqlite3_close(c->db);
        sarhad__free(c);
        return s;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, checkpoint_main, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        sqlite3_close(c->db);
        sarhad__free(c);
        return sarhad__fail(err, SARHAD_ENOMEM, "store", SIZE_MAX,
                            "cannot start the checkpoint thread");
    }
    store->checkpointer = c;
    sqlite3_wal_hook(store->db, wal_committed, c);
    return SARHAD_OK;
}

void
sarhad__store_checkpointer_stop(struct sarhad_store *store)
{
    struct sarhad__checkpointer *c = store->checkpointer;

    if (c == NULL)
        return;
    sqlite3_wal_hook(store->db, NULL, NULL);
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    sqlite3_close(c->db);
    sarhad__free(c);
    store->checkpointer = NULL;
}
