/*
 * store_stamp.c - has anything been committed since I last looked?  The
 * answer without a read transaction: the header of the write-ahead log's
 * index, in the shared memory every connection to the store maps (the
 * "-shm" file; SQLite's file format, "The WAL-Index Format").  Every
 * commit rewrites it (a transaction counter, the log's last frame, the
 * salts and a checksum), so an unchanged header means no commit since.
 *
 * SQLite publishes a commit by writing the header's second copy, a
 * barrier, then the first; a reader that finds the two unequal waits.  So
 * the first copy still holding what it held before means the commit is
 * not visible to anybody yet: reading it as "nothing new" is the same as
 * having looked a moment earlier.  A torn read matches no earlier stamp and
 * only costs the caller its read transaction.
 */
#include "internal.h"

#include <stdatomic.h>
#include <string.h>

/* The first copy of the index header: 48 bytes at the start of region 0
 * (regions are 32 KiB). */
#define INDEX_REGION_SIZE 32768
/* The header's first field, iVersion (WALINDEX_MAX_VERSION), and its
 * isInit byte at offset 12, in the machine's byte order. */
#define WAL_INDEX_VERSION 3007000u

bool
sarhad__store_stamp(struct sarhad_store *store, struct sarhad__stamp *out)
{
    sqlite3_file *file = NULL;
    void volatile *region = NULL;
    const volatile uint64_t *header;
    uint32_t version;
    unsigned char initialised;

    if (store == NULL || store->db == NULL ||
        sqlite3_file_control(store->db, "main", SQLITE_FCNTL_FILE_POINTER,
                             &file) != SQLITE_OK ||
        file == NULL || file->pMethods == NULL ||
        file->pMethods->iVersion < 2 || file->pMethods->xShmMap == NULL)
        return false;
    /* Not extending: only the region this connection already maps. */
    if (file->pMethods->xShmMap(file, 0, INDEX_REGION_SIZE, 0, &region) !=
            SQLITE_OK ||
        region == NULL)
        return false;
    header = (const volatile uint64_t *)region;
    for (unsigned i = 0; i < 6; i++)
        out->w[i] = header[i];
    atomic_thread_fence(memory_order_acquire);
    /* A header SQLite keeps: its version and "initialised" flag set.  A
     * store not in WAL mode has no index to keep, and a stamp of zeros
     * would never change. */
    memcpy(&version, out->w, sizeof(version));
    memcpy(&initialised, (const unsigned char *)out->w + 12, 1);
    return version == WAL_INDEX_VERSION && initialised == 1;
}
