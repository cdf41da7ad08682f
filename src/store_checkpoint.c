/*
 * store_checkpoint.c - WAL checkpoints on a thread of their own.  A commit
 * that leaves many pages in the write-ahead log would otherwise copy them
 * back into the database file itself (SQLite's automatic checkpoint), and
 * with synchronous=FULL also wait for a second fsync, on the writer's own
 * time.  Here the writer's commits only count the pages; once enough wait,
 * a thread with its own connection to the same file runs the PASSIVE
 * checkpoint while the writer goes on recording (WAL lets both proceed:
 * the checkpoint copies only frames already committed).  Past a limit the
 * writer rewinds the log itself (RESTART_PAGES), so a steady stream does
 * not grow it without end.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A checkpoint is asked for after each commit that leaves this many pages
 * in the log (SQLite's own automatic threshold).  Asking only every
 * thousand new pages copied fewer pages but in bursts whose fsyncs held up
 * the log's own (p99 of sarhad serve's decisions 16 -> 30 ms). */
#define CHECKPOINT_PAGES 1000
/* Past this many pages (64 MiB of 4 KiB pages) the writer rewinds the
 * log.  Under a steady stream SQLite never does it by itself: the writer
 * never finds every page copied back, since it commits while the
 * checkpoint copies, so the log grew by the size of the data (160 MiB in
 * three seconds of `sarhad cross`, 70-100 MiB in six seconds of the
 * server's decisions bench) and every page lookup walked a longer index.
 * Nor can the checkpointer rewind it: the writer takes the write lock
 * again as soon as it lets go, and the checkpointer's wait times out. */
#define RESTART_PAGES 16384
/* How long the writer waits, rewinding the log, for a checkpoint under way
 * or a reader in the log (another process's report); past it, the log is
 * left for a later commit. */
#define RESTART_WAIT_MS 50
/* The checkpointer's nice value, relative to the process's: copying pages
 * back can wait, the threads that record and answer cannot.  At the
 * process's own priority a woken writer or flusher (sarhad serve) often
 * waited for a checkpoint's slice of a core; at 10 the decisions' p99 fell
 * from 6.4-6.9 to 5.6-5.8 ms (docs/BENCHMARKS.md, HTTP, twelfth pass).
 * Should it fall behind, the writer rewinds the log itself (RESTART_PAGES). */
#define CHECKPOINTER_NICENESS 10

struct sarhad__checkpointer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 *db; /* the checkpointer's own connection */
    bool due, stop, running;
    /* The writer's own (its WAL hook's): the thresholds, CHECKPOINT_PAGES
     * and RESTART_PAGES but in tests, and the log's size before which not
     * to try rewinding it again. */
    int every, restart_at, retry_at;
};

static bool
checkpoint_busy(struct sarhad__checkpointer *c)
{
    bool busy;

    pthread_mutex_lock(&c->mu);
    busy = c->due || c->running;
    pthread_mutex_unlock(&c->mu);
    return busy;
}

/* The writer's WAL hook: runs after each of its commits (the commit has
 * happened, whatever this does), with the pages now in the log. */
static int
wal_committed(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct sarhad__checkpointer *c = arg;

    if (pages < c->retry_at)
        c->retry_at = 0; /* the log started over */
    if (pages >= c->restart_at && pages >= c->retry_at && !checkpoint_busy(c)) {
        /* The checkpointer has copied back all but the last few commits'
         * pages: this copies those and rewinds the log (the file is
         * reused, not truncated), a stop of a few milliseconds.  Kept
         * from it (a reader in the log), it waits another `every` pages
         * rather than stopping every commit. */
        int rc;
        sqlite3_busy_timeout(db, RESTART_WAIT_MS);
        rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART,
                                       NULL, NULL);
        sqlite3_busy_timeout(db, SARHAD__STORE_BUSY_MS);
        c->retry_at = rc == SQLITE_OK ? 0 : pages + c->every;
        if (rc == SQLITE_OK)
            return SQLITE_OK;
    }
    /* Past the limit the checkpointer is not asked again, so that it is
     * soon idle and a coming commit rewinds the log. */
    if (pages < c->every || pages >= c->restart_at)
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
    int niceness;

    /* On Linux a nice value is a thread's own (setpriority takes a thread
     * id); raising it needs no privilege.  If refused, the thread runs at
     * the process's priority, as before. */
    errno = 0;
    niceness = getpriority(PRIO_PROCESS, 0);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
                          niceness + CHECKPOINTER_NICENESS);
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->due && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop)
            break;
        c->due = false;
        c->running = true;
        pthread_mutex_unlock(&c->mu);
        /* A checkpoint that cannot run now (the file busy, an I/O error)
         * leaves the pages in the log, where they are safe; the next
         * commit over the threshold asks again. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                  NULL);
        pthread_mutex_lock(&c->mu);
        c->running = false;
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
    c->every = CHECKPOINT_PAGES;
    c->restart_at = RESTART_PAGES;
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

void
sarhad__store_checkpoint_pages(struct sarhad_store *store, int every,
                               int restart_at)
{
    struct sarhad__checkpointer *c = store->checkpointer;

    if (c == NULL)
        return;
    c->every = every;
    c->restart_at = restart_at;
}
