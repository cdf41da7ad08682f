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
 * How: the database, its shared memory and everything else are the unix
 * VFS's, untouched.  A log file is opened through it too, and wrapped:
 * writes that continue one another (header, page, header, page...) are
 * gathered in a buffer and written out in one call when the buffer holds
 * a complete commit frame (a header whose "database size" field is not
 * zero, followed by its page), before any other access to the file (read,
 * size, sync, truncate, close, file control, lock), before any write that
 * does not continue the buffer, and when the buffer is full.  A write that
 * starts a buffer must be a frame header that does not commit; anything
 * else goes straight to the file.
 *
 * Why that is enough: SQLite makes a commit visible to other connections
 * (the shared wal-index header) only after it has written the commit
 * frame, and it writes each frame's header and page one right after the
 * other; so by then the whole commit is in the file.  Frames of a
 * transaction not yet committed may wait in the buffer: nobody may read
 * them but the connection that wrote them, and its reads go through this
 * file.  When SQLite rewrites frame headers in place (checksums after a
 * page was written twice in one transaction) it reads the frame before
 * each rewrite, and the last header it rewrites commits, so it goes
 * straight to the file.  A killed process loses only what no commit had
 * reached; the log's format makes a torn commit invisible, as before.
 */
#include "internal.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

#define FRAME_HEADER 24
/* The unix VFS writes at most 128 KiB - 1 bytes a call (it masks the
 * length to 17 bits; SQLite's own writes are a page at most): 31 frames of
 * 4 KiB pages. */
#define BUFFER_CAP 0x1ffffu

struct log_file {
    sqlite3_file base;  /* methods: log_methods */
    sqlite3_file *real; /* the unix VFS's file, right after this struct */
    unsigned char *buf; /* gathered writes, from offset `start` */
    size_t len;
    sqlite3_int64 start;
    bool commit_waits; /* the buffer ends in a commit frame's header */
};

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs vfs;
static sqlite3_io_methods log_methods;
static bool installed;
static atomic_uint_fast64_t frames_gathered, writes_out;

static struct log_file *
log_of(sqlite3_file *f)
{
    return (struct log_file *)f;
}

/* Write out what the buffer holds.  On failure the buffer is dropped: the
 * transaction it belongs to fails, and SQLite rolls it back. */
static int
write_out(struct log_file *l)
{
    int rc = SQLITE_OK;

    if (l->len > 0) {
        rc = l->real->pMethods->xWrite(l->real, l->buf, (int)l->len, l->start);
        atomic_fetch_add_explicit(&writes_out, 1, memory_order_relaxed);
    }
    l->len = 0;
    l->commit_waits = false;
    return rc;
}

static void
append(struct log_file *l, const void *p, int n)
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
    struct log_file *l = log_of(f);
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
        return page_of_commit ? write_out(l) : SQLITE_OK;
    }
    rc = write_out(l);
    if (rc != SQLITE_OK)
        return rc;
    if (n != FRAME_HEADER || commits(p))
        return l->real->pMethods->xWrite(l->real, p, n, off);
    if (l->buf == NULL && (l->buf = sqlite3_malloc64(BUFFER_CAP)) == NULL)
        return l->real->pMethods->xWrite(l->real, p, n, off);
    l->start = off;
    append(l, p, n);
    atomic_fetch_add_explicit(&frames_gathered, 1, memory_order_relaxed);
    return SQLITE_OK;
}

static int
log_close(sqlite3_file *f)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l), rc2 = l->real->pMethods->xClose(l->real);

    sqlite3_free(l->buf);
    l->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

/* Every other method writes the buffer out first, then is the unix one. */
#define REAL(l) ((l)->real->pMethods)

static int
log_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xRead(l->real, p, n, off);
}

static int
log_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xTruncate(l->real, size);
}

static int
log_sync(sqlite3_file *f, int flags)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xSync(l->real, flags);
}

static int
log_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xFileSize(l->real, size);
}

static int
log_lock(sqlite3_file *f, int level)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xLock(l->real, level);
}

static int
log_unlock(sqlite3_file *f, int level)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xUnlock(l->real, level);
}

static int
log_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(log_of(f))->xCheckReservedLock(log_of(f)->real, out);
}

static int
log_file_control(sqlite3_file *f, int op, void *arg)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xFileControl(l->real, op, arg);
}

static int
log_sector_size(sqlite3_file *f)
{
    return REAL(log_of(f))->xSectorSize(log_of(f)->real);
}

static int
log_device_characteristics(sqlite3_file *f)
{
    return REAL(log_of(f))->xDeviceCharacteristics(log_of(f)->real);
}

/* A log file has no shared memory or memory map of its own in SQLite
 * (the wal-index belongs to the database file); these are here because
 * the methods' version says they exist. */
static int
log_shm_map(sqlite3_file *f, int region, int size, int extend,
            void volatile **out)
{
    return REAL(log_of(f))->xShmMap(log_of(f)->real, region, size, extend, out);
}

static int
log_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(log_of(f))->xShmLock(log_of(f)->real, offset, n, flags);
}

static void
log_shm_barrier(sqlite3_file *f)
{
    REAL(log_of(f))->xShmBarrier(log_of(f)->real);
}

static int
log_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return REAL(log_of(f))->xShmUnmap(log_of(f)->real, delete_flag);
}

static int
log_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    struct log_file *l = log_of(f);
    int rc = write_out(l);

    return rc != SQLITE_OK ? rc : REAL(l)->xFetch(l->real, off, n, out);
}

static int
log_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(log_of(f))->xUnfetch(log_of(f)->real, off, p);
}

static int
vfs_open(sqlite3_vfs *self, sqlite3_filename name, sqlite3_file *f, int flags,
         int *out_flags)
{
    struct log_file *l;
    int rc;

    (void)self;
    if (!(flags & SQLITE_OPEN_WAL))
        return unix_vfs->xOpen(unix_vfs, name, f, flags, out_flags);
    l = log_of(f);
    memset(l, 0, sizeof(*l));
    l->real = (sqlite3_file *)(l + 1);
    rc = unix_vfs->xOpen(unix_vfs, name, l->real, flags, out_flags);
    if (l->real->pMethods != NULL) /* else not opened: no method is called */
        l->base.pMethods = &log_methods;
    return rc;
}

void
sarhad__store_vfs_install(void)
{
    unix_vfs = sqlite3_vfs_find("unix");
    if (unix_vfs == NULL || unix_vfs->iVersion < 1)
        return;
    /* The unix VFS's description with a larger file and this open; its
     * other methods read only the fields copied with it. */
    vfs = *unix_vfs;
    vfs.zName = "sarhad";
    vfs.pNext = NULL;
    vfs.szOsFile = (int)sizeof(struct log_file) + unix_vfs->szOsFile;
    vfs.xOpen = vfs_open;
    log_methods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = log_close,
        .xRead = log_read,
        .xWrite = log_write,
        .xTruncate = log_truncate,
        .xSync = log_sync,
        .xFileSize = log_file_size,
        .xLock = log_lock,
        .xUnlock = log_unlock,
        .xCheckReservedLock = log_check_reserved,
        .xFileControl = log_file_control,
        .xSectorSize = log_sector_size,
        .xDeviceCharacteristics = log_device_characteristics,
        .xShmMap = log_shm_map,
        .xShmLock = log_shm_lock,
        .xShmBarrier = log_shm_barrier,
        .xShmUnmap = log_shm_unmap,
        .xFetch = log_fetch,
        .xUnfetch = log_unfetch,
    };
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
