/*
 * audit_anchor.c - anchors: the audit chain's head at some moment, kept
 * outside the store ("SEQ:HASH"), and the check that the log still holds
 * it.  The chain and the signed checkpoints catch a change made by anyone
 * who cannot rebuild the chain and sign it; the key lives beside the store,
 * so someone who can read it and write the store could.  Such a rewrite
 * cannot match a hash that was written down elsewhere before it.
 */
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAX_SEQ_DIGITS 18 /* below INT64_MAX, so no overflow */

void
sarhad_audit_anchor_format(char out[SARHAD_AUDIT_ANCHOR_MAX], int64_t seq,
                           const unsigned char hash[32])
{
    int n = snprintf(out, SARHAD_AUDIT_ANCHOR_MAX, "%lld:", (long long)seq);

    sodium_bin2hex(out + n, (size_t)(SARHAD_AUDIT_ANCHOR_MAX - n), hash, 32);
}

enum sarhad_status
sarhad_audit_anchor_parse(const char *text, int64_t *seq,
                          unsigned char hash[32], struct sarhad_error *err)
{
    const char *hex;
    size_t digits = 0, bin_len = 0;
    int64_t n = 0;

    if (text == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "anchor", SIZE_MAX,
                            "no anchor given");
    for (; text[digits] >= '0' && text[digits] <= '9'; digits++) {
        if (digits == MAX_SEQ_DIGITS)
            return sarhad__fail(err, SARHAD_EFORMAT, "anchor", digits,
                                "the entry number is too long");
        n = n * 10 + (text[digits] - '0');
    }
    if (digits == 0 || n < 1)
        return sarhad__fail(err, SARHAD_EFORMAT, "anchor", 0,
                            "an anchor is SEQ:HASH, SEQ an entry number "
                            "from 1");
    if (text[digits] != ':')
        return sarhad__fail(err, SARHAD_EFORMAT, "anchor", digits,
                            "expected ':' after the entry number");
    hex = text + digits + 1;
    if (strlen(hex) != 64 ||
        sodium_hex2bin(hash, 32, hex, 64, NULL, &bin_len, NULL) != 0 ||
        bin_len != 32)
        return sarhad__fail(err, SARHAD_EFORMAT, "anchor", digits + 1,
                            "the hash is 64 hexadecimal digits");
    *seq = n;
    return SARHAD_OK;
}

static const char sql_entry_hash[] =
    "SELECT hash FROM audit_log WHERE seq = ?1";

enum sarhad_status
sarhad_audit_check_anchor(struct sarhad_store *store, int64_t seq,
                          const unsigned char hash[32],
                          struct sarhad_audit_report *report,
                          struct sarhad_error *err)
{
    sqlite3_stmt *st;
    const char *problem = NULL;
    int rc;

    if (store == NULL || hash == NULL || report == NULL || seq < 1)
        return sarhad__fail(err, SARHAD_EINVAL, "anchor", SIZE_MAX,
                            "a store, an anchor and a report are required");
    if (!report->ok)
        return SARHAD_OK; /* the first finding stands */
    st = sarhad__store_prepare(store, sql_entry_hash, err);
    if (st == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    sqlite3_bind_int64(st, 1, seq);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(st, 0);
        if (sqlite3_column_bytes(st, 0) != 32 || h == NULL ||
            sodium_memcmp(h, hash, 32) != 0)
            problem = "entry differs from the anchor kept outside the store: "
                      "the log was rewritten up to here";
    } else if (rc == SQLITE_DONE) {
        problem = "entry is missing: the log ends before an anchor kept "
                  "outside the store";
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    if (problem != NULL) {
        report->ok = false;
        report->first_bad = seq;
        if (report->checked >= seq)
            report->checked = seq - 1;
        sarhad__strlcpy(report->problem, problem, sizeof(report->problem));
        memset(report->head_hash, 0, sizeof(report->head_hash));
    }
    return SARHAD_OK;
}
