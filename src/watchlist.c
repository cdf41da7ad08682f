/*
 * watchlist.c - watchlists in the post's store.  Each import is a new
 * version (v1, v2, ...) with all its entries, written in one transaction;
 * the newest version is current, and screenings name the version they
 * used, so an old decision can be explained with the list it saw.  An
 * entry is one row: its names joined by the unit separator (names never
 * hold control characters), its birth dates and nationalities by ';'.
 */
#include "watchlist.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sarhad__watchlist_steps[SARHAD__WATCHLIST_STEPS] = {
    "CREATE TABLE watchlist_version ("
    " id INTEGER PRIMARY KEY,"
    " label TEXT NOT NULL UNIQUE,"
    " source TEXT NOT NULL,"
    " format TEXT NOT NULL,"
    " imported TEXT NOT NULL,"
    " entry_count INTEGER NOT NULL,"
    " name_count INTEGER NOT NULL) STRICT;"
    "CREATE TABLE watchlist_entry ("
    " version INTEGER NOT NULL REFERENCES watchlist_version(id),"
    " seq INTEGER NOT NULL,"
    " entry_id TEXT NOT NULL,"
    " sex TEXT NOT NULL,"
    " names TEXT NOT NULL,"
    " births TEXT NOT NULL,"
    " nationalities TEXT NOT NULL,"
    " father_name TEXT NOT NULL,"
    " PRIMARY KEY (version, seq),"
    " UNIQUE (version, entry_id)) STRICT;",
};

#define SEP '\x1f'

enum sarhad_status
sarhad__entry_add_name(struct sarhad_watchlist_entry *e, const char *text,
                       size_t len, struct sarhad_error *err)
{
    struct sarhad_name n;
    enum sarhad_status s;
    size_t a = 0;

    while (a < len && (text[a] == ' ' || text[a] == '\t'))
        a++;
    while (len > a && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == a)
        return SARHAD_OK;
    if (len - a >= SARHAD_WL_NAME_LEN)
        return sarhad__fail(err, SARHAD_ETOOBIG, "name", a,
                            "a name is at most %d bytes",
                            SARHAD_WL_NAME_LEN - 1);
    /* Normalising checks the UTF-8 and that there is a name at all. */
    s = sarhad_name_normalize(&n, text + a, len - a, err);
    if (s != SARHAD_OK) {
        if (err != NULL && err->offset != SIZE_MAX)
            err->offset += a;
        return s;
    }
    if (n.token_count == 0)
        return sarhad__fail(err, SARHAD_EFORMAT, "name", a,
                            "a name needs letters");
    for (unsigned i = 0; i < e->name_count; i++)
        if (strlen(e->names[i]) == len - a &&
            memcmp(e->names[i], text + a, len - a) == 0)
            return SARHAD_OK;
    if (e->name_count == SARHAD_WL_MAX_NAMES)
        return sarhad__fail(err, SARHAD_ETOOBIG, "aliases", a,
                            "more than %d names for one entry",
                            SARHAD_WL_MAX_NAMES);
    memcpy(e->names[e->name_count], text + a, len - a);
    e->names[e->name_count][len - a] = '\0';
    e->name_count++;
    return SARHAD_OK;
}

static enum sarhad_wl_format
detect(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' ||
                       data[i] == '\t'))
        i++;
    return i < len && data[i] == '<' ? SARHAD_WL_UN_XML : SARHAD_WL_CSV;
}

enum sarhad_status
sarhad_watchlist_parse(const char *data, size_t len,
                       enum sarhad_wl_format format,
                       int (*fn)(void *ctx,
                                 const struct sarhad_watchlist_entry *entry),
                       void *ctx, struct sarhad_error *err)
{
    if (data == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "list", SIZE_MAX,
                            "no list given");
    if (len > SARHAD_WL_MAX_INPUT)
        return sarhad__fail(err, SARHAD_ETOOBIG, "list", SIZE_MAX,
                            "a list is at most %u bytes", SARHAD_WL_MAX_INPUT);
    if (format == SARHAD_WL_AUTO)
        format = detect(data, len);
    if (format == SARHAD_WL_UN_XML)
        return sarhad__watchlist_un(data, len, fn, ctx, err);
    return sarhad__watchlist_csv(data, len, fn, ctx, err);
}

/* ---- encoding an entry into a row ------------------------------------ */

struct row {
    char names[SARHAD_WL_MAX_NAMES * SARHAD_WL_NAME_LEN];
    char births[SARHAD_WL_MAX_BIRTHS * 32];
    char nats[SARHAD_WL_MAX_NATS * 4 + 1];
};

static void
encode(struct row *r, const struct sarhad_watchlist_entry *e)
{
    size_t n = 0;

    for (unsigned i = 0; i < e->name_count; i++) {
        size_t l = strlen(e->names[i]);
        if (i > 0)
            r->names[n++] = SEP;
        memcpy(r->names + n, e->names[i], l);
        n += l;
    }
    r->names[n] = '\0';
    n = 0;
    r->births[0] = '\0';
    for (unsigned i = 0; i < e->birth_count; i++) {
        if (i > 0)
            r->births[n++] = ';';
        n += sarhad_birth_format(r->births + n, sizeof(r->births) - n,
                                 &e->births[i]);
    }
    n = 0;
    r->nats[0] = '\0';
    for (unsigned i = 0; i < e->nationality_count; i++) {
        if (i > 0)
            r->nats[n++] = ';';
        n += sarhad__strlcpy(r->nats + n, e->nationalities[i], 4);
    }
}

static void
decode(struct sarhad_watchlist_entry *e, const char *id, const char *sex,
       const char *names, const char *births, const char *nats,
       const char *father)
{
    const char *p;

    memset(e, 0, sizeof(*e));
    sarhad__strlcpy(e->id, id, sizeof(e->id));
    e->sex = sex[0];
    sarhad__strlcpy(e->father_name, father, sizeof(e->father_name));
    for (p = names; *p && e->name_count < SARHAD_WL_MAX_NAMES;) {
        const char *q = strchr(p, SEP);
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l >= SARHAD_WL_NAME_LEN)
            l = SARHAD_WL_NAME_LEN - 1;
        memcpy(e->names[e->name_count], p, l);
        e->names[e->name_count++][l] = '\0';
        p += l + (q ? 1 : 0);
    }
    for (p = births; *p && e->birth_count < SARHAD_WL_MAX_BIRTHS;) {
        const char *q = strchr(p, ';');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (sarhad_birth_parse(&e->births[e->birth_count], p, l, NULL) ==
            SARHAD_OK)
            e->birth_count++;
        p += l + (q ? 1 : 0);
    }
    for (p = nats; *p && e->nationality_count < SARHAD_WL_MAX_NATS;) {
        const char *q = strchr(p, ';');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l < 4) {
            memcpy(e->nationalities[e->nationality_count], p, l);
            e->nationalities[e->nationality_count++][l] = '\0';
        }
        p += l + (q ? 1 : 0);
    }
}

/* ---- import ---------------------------------------------------------- */

struct import {
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_int64 version;
    unsigned entries;
    unsigned names;
    struct row row;
    enum sarhad_status status;
    struct sarhad_error *err;
};

static int
insert_entry(void *ctx, const struct sarhad_watchlist_entry *e)
{
    struct import *im = ctx;
    sqlite3_stmt *st = im->insert;
    char sex[2] = {e->sex, '\0'};
    int rc;

    encode(&im->row, e);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, im->version);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)im->entries);
    sqlite3_bind_text(st, 3, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, im->row.names, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, im->row.births, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, im->row.nats, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->father_name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            im->status = sarhad__fail(im->err, SARHAD_EFORMAT, "id", SIZE_MAX,
                                      "entry %u repeats an id already in the "
                                      "list",
                                      im->entries + 1);
        else
            im->status =
                sarhad__store_fail(im->db, rc, "store an entry", im->err);
        return 1;
    }
    im->entries++;
    im->names += e->name_count;
    return 0;
}

static enum sarhad_status
exec_bound(sqlite3 *db, const char *sql, sqlite3_int64 a, const char *b,
           const char *c, const char *d, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, a);
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, d, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK
               ? SARHAD_OK
               : sarhad__store_fail(db, rc, "record a version", err);
}

static enum sarhad_status
update_counts(sqlite3 *db, const struct import *im, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "UPDATE watchlist_version SET entry_count ="
                                " ?2, name_count = ?3 WHERE id = ?1",
                                -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, im->version);
        sqlite3_bind_int64(st, 2, im->entries);
        sqlite3_bind_int64(st, 3, im->names);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? SARHAD_OK
                           : sarhad__store_fail(db, rc, "count the list", err);
}

static sqlite3_int64
next_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = 1;

    if (sqlite3_prepare_v2(db,
                           "SELECT coalesce(max(id), 0) + 1 FROM "
                           "watchlist_version",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static enum sarhad_status read_version(sqlite3 *db, const char *where,
                                       sqlite3_int64 id,
                                       struct sarhad_watchlist_version *out,
                                       size_t cap, size_t *count,
                                       struct sarhad_error *err);

/* The audit entry of an import, in the import's transaction. */
static enum sarhad_status
audit_import(struct sarhad_store *store, const struct sarhad_actor *who,
             int64_t now, const char *label, const char *source,
             enum sarhad_wl_format format, const struct import *im,
             struct sarhad_error *err)
{
    json_t *detail = json_pack(
        "{s:s, s:s, s:I, s:I}", "source", source != NULL ? source : "",
        "format", format == SARHAD_WL_UN_XML ? "un-xml" : "csv", "entries",
        (json_int_t)im->entries, "names", (json_int_t)im->names);
    char *text = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
    enum sarhad_status s;

    json_decref(detail);
    if (text == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "list", SIZE_MAX, NULL);
    s = sarhad__audit_append(store, who, now, "watchlist_imported", label, text,
                             NULL, err);
    free(text);
    return s;
}

enum sarhad_status
sarhad_watchlist_import(struct sarhad_store *store, const char *data,
                        size_t len, enum sarhad_wl_format format,
                        const char *source, const struct sarhad_actor *who,
                        int64_t now, struct sarhad_watchlist_version *out,
                        struct sarhad_error *err)
{
    return sarhad__watchlist_import(store, data, len, format, source, who, now,
                                    NULL, out, err);
}

/* Insert version im->version (label) of the list and prepare the
 * statement that inserts its entries. */
static enum sarhad_status
insert_version(struct sarhad_store *store, struct import *im, const char *label,
               const char *source, enum sarhad_wl_format format,
               struct sarhad_error *err)
{
    enum sarhad_status s;

    s = exec_bound(store->db,
                   "INSERT INTO watchlist_version(id, label, source, format,"
                   " imported, entry_count, name_count) VALUES (?1, ?2, ?3,"
                   " ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0)",
                   im->version, label, source != NULL ? source : "",
                   format == SARHAD_WL_UN_XML ? "un-xml" : "csv", err);
    if (s == SARHAD_OK &&
        sqlite3_prepare_v2(store->db,
                           "INSERT INTO watchlist_entry(version, seq,"
                           " entry_id, sex, names, births, nationalities,"
                           " father_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                           " ?8)",
                           -1, &im->insert, NULL) != SQLITE_OK)
        s = sarhad__store_fail(store->db, SQLITE_ERROR, "prepare", err);
    return s;
}

/* Parse the list into the version's entries; a list of none is
 * refused. */
static enum sarhad_status
insert_entries(struct import *im, const char *data, size_t len,
               enum sarhad_wl_format format, struct sarhad_error *err)
{
    enum sarhad_status s;

    s = sarhad_watchlist_parse(data, len, format, insert_entry, im, err);
    if (s == SARHAD_OK)
        s = im->status;
    if (s == SARHAD_OK && im->entries == 0)
        s = sarhad__fail(err, SARHAD_EFORMAT, "list", SIZE_MAX,
                         "the list holds no entries");
    return s;
}

/* End the write transaction begun with status s: commit when s is
 * SARHAD_OK, else roll back.  Returns s, or the commit's failure. */
static enum sarhad_status
end_import(struct sarhad_store *store, enum sarhad_status s,
           struct sarhad_error *err)
{
    struct sarhad_error end_err;
    bool ok = s == SARHAD_OK;
    enum sarhad_status e2 = sarhad__store_write_end(store, ok, &end_err);

    if (ok && e2 != SARHAD_OK) {
        s = e2;
        if (err != NULL)
            *err = end_err;
    }
    return s;
}

enum sarhad_status
sarhad__watchlist_import(struct sarhad_store *store, const char *data,
                         size_t len, enum sarhad_wl_format format,
                         const char *source, const struct sarhad_actor *who,
                         int64_t now, const struct sarhad_bundle_info *origin,
                         struct sarhad_watchlist_version *out,
                         struct sarhad_error *err)
{
    struct import *im;
    enum sarhad_status s;
    char label[24];

    if (store == NULL || data == NULL || who == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "list", SIZE_MAX,
                            "no store, list or actor given");
    if (format == SARHAD_WL_AUTO)
        format = detect(data, len);
    im = sarhad__calloc(1, sizeof(*im));
    if (im == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "list", SIZE_MAX, NULL);
    im->db = store->db;
    im->err = err;
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK) {
        sarhad__free(im);
        return s;
    }
    im->version = next_version(store->db);
    snprintf(label, sizeof(label), "v%lld", (long long)im->version);
    s = insert_version(store, im, label, source, format, err);
    if (s == SARHAD_OK)
        s = insert_entries(im, data, len, format, err);
    sqlite3_finalize(im->insert);
    if (s == SARHAD_OK)
        s = update_counts(store->db, im, err);
    if (s == SARHAD_OK)
        s = audit_import(store, who, now, label, source, format, im, err);
    if (s == SARHAD_OK) {
        char result[40];

        snprintf(result, sizeof(result), "watchlist:%s", label);
        s = sarhad__bundle_gate(store, origin, "watchlists", result, who, now,
                                err);
    }
    s = end_import(store, s, err);
    if (s == SARHAD_OK && out != NULL) {
        size_t count;
        s = read_version(store->db, "WHERE id = ?1", im->version, out, 1,
                         &count, err);
    }
    sarhad__free(im);
    return s;
}

/* ---- reading --------------------------------------------------------- */

static enum sarhad_status
read_version(sqlite3 *db, const char *where, sqlite3_int64 id,
             struct sarhad_watchlist_version *out, size_t cap, size_t *count,
             struct sarhad_error *err)
{
    char sql[400];
    sqlite3_stmt *st = NULL;
    sqlite3_int64 current = 0;
    int rc;
    size_t n = 0;

    snprintf(sql, sizeof(sql),
             "SELECT id, label, source, format, imported, entry_count,"
             " name_count, (SELECT max(id) FROM watchlist_version)"
             " FROM watchlist_version %s ORDER BY id DESC",
             where);
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, "read the list versions", err);
    if (id != 0)
        sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n < cap) {
            struct sarhad_watchlist_version *v = &out[n];
            memset(v, 0, sizeof(*v));
            current = sqlite3_column_int64(st, 7);
            sarhad__strlcpy(v->label, (const char *)sqlite3_column_text(st, 1),
                            sizeof(v->label));
            sarhad__strlcpy(v->source, (const char *)sqlite3_column_text(st, 2),
                            sizeof(v->source));
            sarhad__strlcpy(v->format, (const char *)sqlite3_column_text(st, 3),
                            sizeof(v->format));
            sarhad__strlcpy(v->imported,
                            (const char *)sqlite3_column_text(st, 4),
                            sizeof(v->imported));
            v->entry_count = (unsigned)sqlite3_column_int64(st, 5);
            v->name_count = (unsigned)sqlite3_column_int64(st, 6);
            v->is_current = sqlite3_column_int64(st, 0) == current;
        }
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(db, rc, "read the list versions", err);
    *count = n;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_watchlist_versions(struct sarhad_store *store,
                          struct sarhad_watchlist_version *out, size_t cap,
                          size_t *count, struct sarhad_error *err)
{
    size_t n = 0;
    enum sarhad_status s;

    if (store == NULL || (out == NULL && cap > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "no store given");
    s = read_version(store->db, "", 0, out, cap, &n, err);
    if (s == SARHAD_OK && count != NULL)
        *count = n;
    return s;
}

enum sarhad_status
sarhad_watchlist_entries(struct sarhad_store *store, const char *label,
                         int (*fn)(void *ctx,
                                   const struct sarhad_watchlist_entry *entry),
                         void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    struct sarhad_watchlist_entry *e;
    int rc;

    if (store == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "no store given");
    rc = sqlite3_prepare_v2(
        store->db,
        "SELECT entry_id, sex, names, births, nationalities, father_name"
        " FROM watchlist_entry WHERE version = (SELECT id FROM"
        " watchlist_version WHERE (?1 IS NULL AND id = (SELECT max(id) FROM"
        " watchlist_version)) OR label = ?1) ORDER BY seq",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sarhad__store_fail(store->db, rc, "read the list", err);
    if (label != NULL) {
        sqlite3_stmt *chk = NULL;
        bool found = false;
        if (sqlite3_prepare_v2(store->db,
                               "SELECT 1 FROM watchlist_version WHERE label"
                               " = ?1",
                               -1, &chk, NULL) == SQLITE_OK) {
            sqlite3_bind_text(chk, 1, label, -1, SQLITE_STATIC);
            found = sqlite3_step(chk) == SQLITE_ROW;
        }
        sqlite3_finalize(chk);
        if (!found) {
            sqlite3_finalize(st);
            return sarhad__fail(err, SARHAD_ENOTFOUND, "version", SIZE_MAX,
                                "no such list version");
        }
        sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
    }
    e = sarhad__malloc(sizeof(*e));
    if (e == NULL) {
        sqlite3_finalize(st);
        return sarhad__fail(err, SARHAD_ENOMEM, "list", SIZE_MAX, NULL);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        decode(e, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1),
               (const char *)sqlite3_column_text(st, 2),
               (const char *)sqlite3_column_text(st, 3),
               (const char *)sqlite3_column_text(st, 4),
               (const char *)sqlite3_column_text(st, 5));
        if (fn(ctx, e) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sarhad__free(e);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the list", err);
    return SARHAD_OK;
}
