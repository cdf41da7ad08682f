/*
 * store_vfs.c - SQLite's own unix VFS, with the write-ahead log's frames
 * written out a commit at a time instead of in two system calls each.
 *
 * Why: SQLite writes each frame of the log as two pwrite calls, the
 * 24-byte frame header and then the page.  A commit of the server's group
 * of 32 decisions writes about 60 frames, so 120 system calls, and on this
 * project's virtual machine a pwrite costs about as much as the copy it
 * makes: 3.4-3.7 us a frame written that way against 0.6-0.9 us a frame
 * when a commit's frames go in one call (measured with the same file and
 * sizes).
 *
 * How: every file is the unix VFS's own, opened by it and driven by its
 * methods; a database's and its log's get a few of those methods wrapped,
 * with what the wrappers keep placed after the unix VFS's part of the file.
 * The log's writes that continue one another (header, page, header,
 * page...) are gathered in a buffer, which is written out in one call:
 *   - once it holds a complete commit frame (a header whose "database
 *     size" field is not zero, followed by its page);
 *   - before any other read, write, sync, size, truncation, file control
 *     or close of the log;
 *   - before any lock or barrier on its database's shared memory: SQLite
 *     publishes a commit (the wal-index header) behind a barrier, and ends
 *     every write transaction, committed or rolled back, by releasing the
 *     log's write lock, so no other connection can write the log or read
 *     a published frame while this one still holds some of it;
 *   - when it is full.
 * A write that starts a buffer must be a frame header that does not
 * commit; anything else goes straight to the file.  So the file gets the
 * bytes SQLite wrote, in the same order relative to everything any other
 * connection can see, only in fewer calls.  A killed process loses only
 * frames no commit had reached, as before.
 *
 * The commit frame and the rule for starting a buffer are what put a
 * commit into the file when SQLite keeps the wal-index in its own memory
 * (locking_mode=EXCLUSIVE from the start), for then it locks and fences
 * nothing.  When SQLite rewrites frame headers in place (new checksums
 * after a page was written twice in one transaction) it reads each frame
 * before rewriting its header, and the last header it rewrites commits,
 * so those go straight to the file.
 *
 * The log finds its database by the name SQLite gives both
 * (sqlite3_filename_database of the log's name is the very pointer the
 * database was opened with); a log whose database is not found is left
 * unwrapped.
 */
#include "internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#define FRAME_HEADER 24
/* The unix VFS writes at most 128 KiB - 1 bytes a call (it masks the
 * length to 17 bits; SQLite's own writes are a page at most): 31 frames of
 * 4 KiB pages. */
#define BUFFER_CAP 0x1ffffu

struct log_part {
    const sqlite3_io_methods *native; /* the file's own methods */
    struct db_part *db;               /* its database's, while both are open */
    unsigned char *buf;               /* gathered writes, from offset start */
    size_t len;
    sqlite3_int64 start;
    bool commit_waits; /* the buffer ends in a commit frame's header */
};

struct db_part {
    const sqlite3_io_methods *native;
    const char *name;     /* what SQLite opened it by: its log's key */
    sqlite3_file *log;    /* its log, while both are open */
    struct db_part *next; /* open databases */
};

/* Method tables: the unix VFS's own for a file, with the wrapped methods
 * in place; one pair per table the unix VFS hands out (one, in practice). */
struct tables {
    const sqlite3_io_methods *native;
    sqlite3_io_methods log, db;
};

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs vfs;
static size_t unix_size; /* the unix VFS's file, rounded up */
static bool installed;
static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tables tables[4];
static struct db_part *open_dbs;
static atomic_uint_fast64_t frames_gathered, writes_out;

static struct log_part *
log_of(sqlite3_file *f)
{
    return (struct log_part *)((char *)f + unix_size);
}

static struct db_part *
db_of(sqlite3_file *f)
{
    return (struct db_part *)((char *)f + unix_size);
}

/* Write out what the buffer holds, through the unix VFS's write.  On
 * failure the buffer is dropped: the transaction it belongs to fails, and
 * SQLite rolls it back. */
static int
write_out(sqlite3_file *f)
{
    struct log_part *l = log_of(f);
    int rc = SQLITE_OK;

    if (l->len > 0) {
        rc = l->native->xWrite(f, l->buf, (int)l->len, l->start);
        atomic_fetch_add_explicit(&writes_out, 1, memory_order_relaxed);
    }
    l->len = 0;
    l->commit_waits = false;
    return rc;
}

static void
append(struct log_part *l, const void *p, int n)
{
    memcpy(l->buf + l->len, p, (size_t)n);
    l->len += (size_t)n;
}

/* A frame header whose second field, the database's size after a commit,
 * is not zero: the last frame of a transaction. */
static bool
commits(const unsigned char *header)
{
    return (header[4] | header[5] | header[6] | header[7]) != 0;
}

static int
log_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    struct log_part *l = log_of(f);
    int rc;

    if (l->len > 0 && off == l->start + (sqlite3_int64)l->len &&
        l->len + (size_t)n <= BUFFER_CAP) {
        bool page_of_commit = l->commit_waits;
        if (n == FRAME_HEADER) {
            l->commit_waits = commits(p);
            atomic_fetch_add_explicit(&frames_gathered, 1,
                                      memory_order_relaxed);
        }
        append(l, p, n);
        return page_of_commit ? write_out(f) : SQLITE_OK;
    }
    rc = write_out(f);
    if (rc != SQLITE_OK)
        return rc;
    if (n != FRAME_HEADER || commits(p))
        return l->native->xWrite(f, p, n, off);
    if (l->buf == NULL && (l->buf = sqlite3_malloc64(BUFFER_CAP)) == NULL)
        return l->native->xWrite(f, p, n, off);
    l->start = off;
    append(l, p, n);
    atomic_fetch_add_explicit(&frames_gathered, 1, memory_order_relaxed);
    return SQLITE_OK;
}

/* The log's other methods that touch its bytes: the buffer first. */
static int
log_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    int rc = write_out(f);

    return rc != SQLITE_OK ? rc : log_of(f)->native->xRead(f, p, n, off);
}

static int
log_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = write_out(f);

    return rc != SQLITE_OK ? rc : log_of(f)->native->xTruncate(f, size);
}

static int
log_sync(sqlite3_file *f, int flags)
{
    int rc = write_out(f);

    return rc != SQLITE_OK ? rc : log_of(f)->native->xSync(f, flags);
}

static int
log_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    int rc = write_out(f);

    return rc != SQLITE_OK ? rc : log_of(f)->native->xFileSize(f, size);
}

static int
log_file_control(sqlite3_file *f, int op, void *arg)
{
    int rc = write_out(f);

    return rc != SQLITE_OK ? rc : log_of(f)->native->xFileControl(f, op, arg);
}

static int
log_close(sqlite3_file *f)
{
    struct log_part *l = log_of(f);
    const sqlite3_io_methods *native = l->native;
    int rc = write_out(f), rc2;

    pthread_mutex_lock(&open_mu);
    if (l->db != NULL)
        l->db->log = NULL;
    pthread_mutex_unlock(&open_mu);
    sqlite3_free(l->buf);
    rc2 = native->xClose(f);
    return rc != SQLITE_OK ? rc : rc2;
}

/* The database's shared-memory lock and barrier: its log's buffer first
 * (see the top of the file). */
static int
db_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    struct db_part *d = db_of(f);
    int rc = SQLITE_OK;

    if (d->log != NULL)
        rc = write_out(d->log);
    return rc != SQLITE_OK ? rc : d->native->xShmLock(f, offset, n, flags);
}

static void
db_shm_barrier(sqlite3_file *f)
{
    struct db_part *d = db_of(f);

    /* A failed write here shows at the next call that touches the log:
     * the barrier cannot report it, and the frames stay SQLite's to
     * rewrite. */
    if (d->log != NULL)
        write_out(d->log);
    d->native->xShmBarrier(f);
}

static int
db_close(sqlite3_file *f)
{
    struct db_part *d = db_of(f);
    const sqlite3_io_methods *native = d->native;

    pthread_mutex_lock(&open_mu);
    for (struct db_part **p = &open_dbs; *p != NULL; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    if (d->log != NULL)
        log_of(d->log)->db = NULL;
    pthread_mutex_unlock(&open_mu);
    return native->xClose(f);
}

/* The wrapped tables for a file the unix VFS opened with `native`; NULL
 * when they cannot be made.  Called with open_mu held. */
static struct tables *
tables_for(const sqlite3_io_methods *native)
{
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        struct tables *t = &tables[i];
        if (t->native == native)
            return t;
        if (t->native != NULL)
            continue;
        if (native->iVersion < 2 || native->xShmLock == NULL)
            return NULL; /* no shared memory: no WAL to speak of */
        t->native = native;
        t->log = *native;
        t->log.xClose = log_close;
        t->log.xRead = log_read;
        t->log.xWrite = log_write;
        t->log.xTruncate = log_truncate;
        t->log.xSync = log_sync;
        t->log.xFileSize = log_file_size;
        t->log.xFileControl = log_file_control;
        t->db = *native;
        t->db.xClose = db_close;
        t->db.xShmLock = db_shm_lock;
        t->db.xShmBarrier = db_shm_barrier;
        return t;
    }
    return NULL;
}

static int
vfs_open(sqlite3_vfs *self, sqlite3_filename name, sqlite3_file *f, int flags,
         int *out_flags)
{
    int rc = unix_vfs->xOpen(unix_vfs, name, f, flags, out_flags);
    struct tables *t;

    (void)self;
    if (rc != SQLITE_OK || f->pMethods == NULL || name == NULL ||
        !(flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)))
        return rc;
    pthread_mutex_lock(&open_mu);
    t = tables_for(f->pMethods);
    if (t != NULL && (flags & SQLITE_OPEN_MAIN_DB)) {
        struct db_part *d = db_of(f);
        memset(d, 0, sizeof(*d));
        d->native = f->pMethods;
        d->name = name;
        d->next = open_dbs;
        open_dbs = d;
        f->pMethods = &t->db;
    } else if (t != NULL) {
        const char *db_name = sqlite3_filename_database(name);
        struct db_part *d = open_dbs;
        while (d != NULL && (d->name != db_name || d->log != NULL))
            d = d->next;
        if (d != NULL) {
            struct log_part *l = log_of(f);
            memset(l, 0, sizeof(*l));
            l->native = f->pMethods;
            l->db = d;
            d->log = f;
            f->pMethods = &t->log;
        }
    }
    pthread_mutex_unlock(&open_mu);
    return rc;
}

void
sarhad__store_vfs_install(void)
{
    size_t part = sizeof(struct log_part) > sizeof(struct db_part)
                      ? sizeof(struct log_part)
                      : sizeof(struct db_part);

    unix_vfs = sqlite3_vfs_find("unix");
    if (unix_vfs == NULL)
        return;
    unix_size = ((size_t)unix_vfs->szOsFile + 15) & ~(size_t)15;
    /* The unix VFS's description with a larger file and this open; its
     * other methods read only the fields copied with it. */
    vfs = *unix_vfs;
    vfs.zName = "sarhad";
    vfs.pNext = NULL;
    vfs.szOsFile = (int)(unix_size + part);
    vfs.xOpen = vfs_open;
    installed = sqlite3_vfs_register(&vfs, 1) == SQLITE_OK;
}

void
sarhad__store_vfs_stats(struct sarhad__vfs_stats *out)
{
    out->installed = installed;
    out->frames_gathered =
        atomic_load_explicit(&frames_gathered, memory_order_relaxed);
    out->writes_out = atomic_load_explicit(&writes_out, memory_order_relaxed);
}
