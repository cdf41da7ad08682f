/*
 * central_bundle.c - the ministry's bundles travelling through the central:
 * published there once (sarhad_central_publish), taken by every post the
 * next time it syncs (sarhad_central_pull), so a post that was offline
 * gets the law and the lists it missed when its link comes back.  The
 * central is a courier, not an authority: a post applies only what the key
 * it trusts signed, newer than what it has (bundle_store.c), so a bundle
 * altered or planted in the central is refused at every post.
 */
#include "central.h"

#include <stdlib.h>
#include <string.h>

static const char sql_put[] =
    "INSERT INTO bundle (kind, serial, issuer, issued, name, sha256, body)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (issuer, kind, serial) DO NOTHING";
static const char sql_same[] =
    "SELECT sha256 FROM bundle"
    " WHERE issuer = $1 AND kind = $2 AND serial = $3";
static const char sql_next[] =
    "SELECT body, serial FROM bundle"
    " WHERE issuer = $1 AND kind = $2 AND serial > $3 ORDER BY serial LIMIT 1";

enum sarhad_status
sarhad_central_publish(struct sarhad_central *central, const char *data,
                       size_t len, const unsigned char *public_key,
                       struct sarhad_bundle_info *out, bool *added,
                       struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};
    struct sarhad_bundle_info b;
    enum sarhad_status s;
    PGresult *res;
    bool same;

    if (central == NULL || data == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "central and bundle are required");
    s = sarhad_bundle_open(data, len, public_key, &b, err);
    if (s == SARHAD_OK)
        s = sarhad__central_require_schema(central, err);
    if (s != SARHAD_OK)
        return s;
    sarhad__pg_text(&p, sarhad_bundle_kind_name(b.kind));
    sarhad__pg_int(&p, b.serial);
    sarhad__pg_text(&p, b.issuer);
    sarhad__pg_text(&p, b.issued);
    sarhad__pg_text(&p, b.name);
    sarhad__pg_text(&p, b.sha256);
    sarhad__pg_bytes(&p, data, len);
    res = sarhad__central_run(central, sql_put, &p, "publish the bundle", err);
    if (res == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    *added = atoi(PQcmdTuples(res)) == 1;
    PQclear(res);
    if (!*added) {
        /* Already there: the same bundle again is fine, another bundle
         * under the same serial is the issuer's mistake to hear of. */
        p.n = 0;
        sarhad__pg_text(&p, b.issuer);
        sarhad__pg_text(&p, sarhad_bundle_kind_name(b.kind));
        sarhad__pg_int(&p, b.serial);
        res =
            sarhad__central_run(central, sql_same, &p, "read the bundle", err);
        if (res == NULL)
            return err != NULL && err->code != SARHAD_OK ? err->code
                                                         : SARHAD_EDB;
        same =
            PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), b.sha256) == 0;
        PQclear(res);
        if (!same)
            return sarhad__fail(err, SARHAD_EEXIST, "serial", SIZE_MAX,
                                "the central holds another %s bundle %lld "
                                "from key %s: a serial is used once",
                                sarhad_bundle_kind_name(b.kind),
                                (long long)b.serial, b.issuer);
    }
    if (out != NULL) {
        *out = b;
        out->payload = NULL;
    }
    return SARHAD_OK;
}

/* The central's next bundle of kind from issuer after serial `after`, into
 * *body (malloc'd, *len bytes); *body NULL when there is none. */
static enum sarhad_status
next_bundle(struct sarhad_central *central, const char *issuer,
            enum sarhad_bundle_kind kind, int64_t after, char **body,
            size_t *len, int64_t *serial, struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};
    unsigned char *bytes;
    PGresult *res;

    *body = NULL;
    sarhad__pg_text(&p, issuer);
    sarhad__pg_text(&p, sarhad_bundle_kind_name(kind));
    sarhad__pg_int(&p, after);
    res = sarhad__central_run(central, sql_next, &p, "read the bundles", err);
    if (res == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return SARHAD_OK;
    }
    *serial = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0), len);
    PQclear(res);
    if (bytes == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "bundle", SIZE_MAX, NULL);
    *body = malloc(*len + 1);
    if (*body != NULL) {
        memcpy(*body, bytes, *len);
        (*body)[*len] = '\0';
    }
    PQfreemem(bytes);
    return *body != NULL
               ? SARHAD_OK
               : sarhad__fail(err, SARHAD_ENOMEM, "bundle", SIZE_MAX, NULL);
}

/* Take kind's bundles newer than the post's last, from the key it trusts,
 * one at a time; a refused one is reported and passed over. */
static enum sarhad_status
pull_kind(struct sarhad_central *central, struct sarhad_store *store,
          enum sarhad_bundle_kind kind, const struct sarhad_pull_hooks *hooks,
          struct sarhad_pull_result *out, struct sarhad_error *err)
{
    char issuer[SARHAD_BUNDLE_KEY_ID_LEN + 1], *body;
    struct sarhad_bundle_applied applied;
    struct sarhad_error why;
    enum sarhad_status s;
    int64_t after, serial = 0;
    size_t len;

    for (;;) {
        /* Read again each time: a key bundle just applied changes both. */
        s = sarhad_store_trusted_key(store, NULL, issuer, err);
        if (s == SARHAD_OK)
            s = sarhad__bundle_last_serial(store, kind, &after, err);
        if (s != SARHAD_OK)
            return s;
        if (serial > after)
            after = serial; /* past the ones refused */
        s = next_bundle(central, issuer, kind, after, &body, &len, &serial,
                        err);
        if (s != SARHAD_OK || body == NULL)
            return s;
        sarhad_error_clear(&why);
        memset(&applied, 0, sizeof(applied));
        s = hooks->apply(hooks->ctx, body, len, &applied, &why);
        free(body);
        if (s == SARHAD_OK)
            out->applied++;
        else if (s == SARHAD_EIO || s == SARHAD_EDB || s == SARHAD_ENOMEM ||
                 s == SARHAD_EBUSY) {
            if (err != NULL)
                *err = why;
            return s; /* the post's store failed: try again next time */
        } else {
            out->refused++;
        }
        if (hooks->seen != NULL)
            hooks->seen(hooks->ctx, kind, serial,
                        s == SARHAD_OK ? &applied : NULL, s, &why);
    }
}

enum sarhad_status
sarhad_central_pull(struct sarhad_central *central, struct sarhad_store *store,
                    const struct sarhad_pull_hooks *hooks,
                    struct sarhad_pull_result *out, struct sarhad_error *err)
{
    static const enum sarhad_bundle_kind order[] = {
        SARHAD_BUNDLE_KEY, SARHAD_BUNDLE_POLICY, SARHAD_BUNDLE_WATCHLIST};
    enum sarhad_status s;

    if (central == NULL || store == NULL || hooks == NULL ||
        hooks->apply == NULL || out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "pull", SIZE_MAX,
                            "central, store, hooks and result are required");
    memset(out, 0, sizeof(*out));
    s = sarhad_store_trusted_key(store, NULL, NULL, err);
    if (s == SARHAD_ENOTFOUND)
        return sarhad__fail(err, s, "key", SIZE_MAX,
                            "this post trusts no ministry key: there is "
                            "nothing it would take from the central");
    if (s == SARHAD_OK)
        s = sarhad__central_require_schema(central, err);
    /* The key first: bundles signed by the next key follow it. */
    for (size_t i = 0; s == SARHAD_OK && i < SARHAD_COUNT_OF(order); i++)
        s = pull_kind(central, store, order[i], hooks, out, err);
    return s;
}
