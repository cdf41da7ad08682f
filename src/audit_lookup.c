/*
 * audit_lookup.c - an access log of people's records: who was shown a
 * traveller's history, an attempt (with the documents as read), or the
 * travellers a search found.  Reading changes nothing, but a border
 * agency must be able to say who looked at whom, so each such read is an
 * entry in the same hash-chained log as the changes.  The entry names the
 * records shown by id and never holds what was searched for: a document
 * number typed at a counter is not kept for someone who was not found.  A
 * replay reads every recorded attempt again and shows how their decisions
 * would move, so it is in the log too: who ran which draft over which days.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

/* {"by":"document","travellers":[1,2]} */
static void
search_detail(char *out, size_t cap, const char *by, const int64_t *ids,
              unsigned n)
{
    size_t len =
        (size_t)snprintf(out, cap, "{\"by\":\"%s\",\"travellers\":[", by);

    for (unsigned i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%lld", i ? "," : "",
                                (long long)ids[i]);
    if (len < cap)
        snprintf(out + len, cap - len, "]}");
}

enum sarhad_status
sarhad_audit_lookup(struct sarhad_store *store, const struct sarhad_actor *who,
                    int64_t now, enum sarhad_lookup what, const int64_t *ids,
                    unsigned n, const char *by, int64_t *seq,
                    struct sarhad_error *err)
{
    /* 21 characters a number with its comma. */
    char subject[48], detail[48 + SARHAD_FIND_MAX * 21];
    bool search = what == SARHAD_LOOKUP_SEARCH;
    enum sarhad_status s;

    if (store == NULL || who == NULL || (n > 0 && ids == NULL))
        return sarhad__fail(err, SARHAD_EINVAL, "lookup", SIZE_MAX,
                            "store, actor and ids are required");
    if (what != SARHAD_LOOKUP_TRAVELLER && what != SARHAD_LOOKUP_ATTEMPT &&
        !search)
        return sarhad__fail(err, SARHAD_EINVAL, "lookup", SIZE_MAX,
                            "a lookup is of a traveller, an attempt or a "
                            "search");
    if (search ? n > SARHAD_FIND_MAX : n != 1)
        return sarhad__fail(err, SARHAD_EINVAL, "ids", SIZE_MAX,
                            "a search shows up to %d travellers, a history "
                            "or an attempt one",
                            SARHAD_FIND_MAX);
    if (search && (by == NULL ||
                   (strcmp(by, "document") != 0 && strcmp(by, "name") != 0)))
        return sarhad__fail(err, SARHAD_EINVAL, "by", SIZE_MAX,
                            "a search is by document or by name");
    if (search) {
        snprintf(subject, sizeof(subject), "search");
        search_detail(detail, sizeof(detail), by, ids, n);
    } else {
        snprintf(subject, sizeof(subject), "%s:%lld",
                 what == SARHAD_LOOKUP_TRAVELLER ? "traveller" : "attempt",
                 (long long)ids[0]);
        snprintf(detail, sizeof(detail), "{}");
    }
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__audit_append(store, who, now, "lookup", subject, detail, seq,
                             err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

enum sarhad_status
sarhad_audit_replay(struct sarhad_store *store, const struct sarhad_actor *who,
                    int64_t now, const char *policy, int version,
                    const char *filename, const char *text, size_t len,
                    const struct sarhad_replay_options *opt, int64_t *seq,
                    struct sarhad_error *err)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char sha[2 * crypto_hash_sha256_BYTES + 1], subject[80];
    struct sarhad__buf detail = {0};
    enum sarhad_status s;

    if (store == NULL || who == NULL || text == NULL || policy == NULL ||
        strlen(policy) > 64)
        return sarhad__fail(err, SARHAD_EINVAL, "replay", SIZE_MAX,
                            "store, actor, the draft and its name (at most "
                            "64 bytes) are required");
    crypto_hash_sha256(digest, (const unsigned char *)text, len);
    sodium_bin2hex(sha, sizeof(sha), digest, sizeof(digest));
    sarhad__buf_puts(&detail, "{\"filename\":");
    sarhad__buf_json_str(&detail, filename != NULL ? filename : "");
    sarhad__buf_puts(&detail, ",\"version\":");
    sarhad__buf_int(&detail, version);
    sarhad__buf_puts(&detail, ",\"sha256\":\"");
    sarhad__buf_puts(&detail, sha);
    sarhad__buf_puts(&detail, "\",\"from\":");
    sarhad__buf_json_str(&detail, opt != NULL && opt->from ? opt->from : "");
    sarhad__buf_puts(&detail, ",\"to\":");
    sarhad__buf_json_str(&detail, opt != NULL && opt->to ? opt->to : "");
    sarhad__buf_puts(&detail, "}");
    snprintf(subject, sizeof(subject), "policy:%s", policy);
    if (detail.failed) {
        sarhad__buf_free(&detail);
        return sarhad__fail(err, SARHAD_ENOMEM, "replay", SIZE_MAX, NULL);
    }
    s = sarhad__store_write_begin(store, err);
    if (s == SARHAD_OK) {
        s = sarhad__audit_append(store, who, now, "replay", subject,
                                 detail.data, seq, err);
        if (s != SARHAD_OK)
            sarhad__store_write_end(store, false, NULL);
        else
            s = sarhad__store_write_end(store, true, err);
    }
    sarhad__buf_free(&detail);
    return s;
}
