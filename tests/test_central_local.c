/*
 * test_central_local.c - the post's side of a push to the central, which
 * needs no PostgreSQL: batches taken in order and resumed from a (seq,
 * hash) high-water mark, each entry with the ledger row it records, and
 * nothing read past an entry that was altered, a missing ledger row, or a
 * high-water mark the post does not have (a diverged store).  Tampering
 * goes around the append-only triggers as someone with the file would.
 */
#include "ledger_fixture.h"

#include "../src/central.h"

#include <string.h>

/* A ledger store with its policy published and three crossings. */
static struct sarhad_store *
post_with_crossings(const char *name)
{
    struct sarhad_ledger *ledger = NULL;
    struct sarhad_store *store = fresh(name, &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    char number[24];
    int64_t id;

    if (store == NULL)
        return NULL;
    for (int i = 0; i < 3; i++) {
        begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5 + i), "AFG");
        snprintf(number, sizeof(number), "P0123456%d", i);
        passport(&p, number);
        visa(&p, "V1234567", SARHAD_ENTRIES_MULTIPLE, 30);
        if (sarhad_ledger_cross(ledger, &p, &officer, 1699000000 + i, &d, &id,
                                NULL) != SARHAD_OK) {
            sarhad_ledger_close(ledger);
            sarhad_store_close(store);
            return NULL;
        }
    }
    sarhad_ledger_close(ledger);
    return store;
}

struct wanted {
    int64_t seq;
    unsigned char hash[32];
};

static bool
find_hash(void *ctx, const struct sarhad_audit_entry *e)
{
    struct wanted *w = ctx;

    memcpy(w->hash, e->hash, 32);
    return false;
}

/* Read a batch of up to batch entries after (after, hash); the count, the
 * last entry's seq and hash in *last, and the decisions seen. */
static enum sarhad_status
read_batch(struct sarhad_store *store, const struct wanted *after, size_t batch,
           int *count, struct wanted *last, int *decisions, int64_t *bad_seq)
{
    struct sarhad__push_reader r;
    struct sarhad__push_entry x;
    struct sarhad__pg_params p;
    enum sarhad_status s;
    bool done = false;

    *count = *decisions = 0;
    *last = *after;
    s = sarhad__push_read_begin(&r, store, after->seq, after->hash, batch,
                                bad_seq, NULL);
    while (s == SARHAD_OK) {
        s = sarhad__push_read_next(&r, &x, &done, bad_seq, NULL);
        if (s != SARHAD_OK || done)
            break;
        ++*count;
        last->seq = x.e.seq;
        memcpy(last->hash, x.e.hash, 32);
        /* The post, then the attempt's 29 columns (an exit's returns
         * details among them): the central INSERT's $1-$30. */
        if (x.row_kind == SARHAD__ROW_ATTEMPT &&
            sarhad__push_row_params(&x, &p) != NULL && p.n == 30)
            ++*decisions;
    }
    sarhad__push_read_end(&r);
    return s;
}

TEST(central_push_reads_in_batches_and_resumes)
{
    struct sarhad_store *store = post_with_crossings("central_batches.db");
    struct wanted start = {0, {0}}, last;
    int64_t head = 0, bad = 0;
    int count, decisions, total = 0, total_decisions = 0, batches = 0;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad__push_local_head(store, &head, NULL));
    ASSERT(head >= 5);
    do {
        ASSERT_OK(
            read_batch(store, &start, 2, &count, &last, &decisions, &bad));
        ASSERT(count <= 2);
        total += count;
        total_decisions += decisions;
        batches++;
        start = last;
    } while (count == 2);
    ASSERT_EQ_INT(head, total);
    ASSERT_EQ_INT(head, last.seq);
    ASSERT_EQ_INT(3, total_decisions);
    ASSERT_EQ_INT(head / 2 + 1, batches); /* the last one short or empty */
    /* Up to date: a batch after the head is empty. */
    ASSERT_OK(read_batch(store, &last, 100, &count, &last, &decisions, &bad));
    ASSERT_EQ_INT(0, count);
    sarhad_store_close(store);
}

TEST(central_push_refuses_an_altered_entry)
{
    struct sarhad_store *store = post_with_crossings("central_altered.db");
    struct wanted start = {0, {0}}, last;
    int64_t bad = 0;
    int count, decisions;

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SQLITE_OK, sqlite3_exec(store->db,
                                          "DROP TRIGGER audit_log_no_update;"
                                          "UPDATE audit_log SET detail = '{}'"
                                          " WHERE seq = 3",
                                          NULL, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ETAMPER, read_batch(store, &start, 100, &count, &last,
                                             &decisions, &bad));
    ASSERT_EQ_INT(3, bad);
    ASSERT_EQ_INT(2, count); /* the two before it were sound */
    sarhad_store_close(store);
}

TEST(central_push_refuses_a_missing_ledger_row)
{
    struct sarhad_store *store = post_with_crossings("central_norow.db");
    struct wanted start = {0, {0}}, last;
    long long seq;
    int64_t bad = 0;
    int count, decisions;

    ASSERT(store != NULL);
    seq = scalar(store, "SELECT audit_seq FROM attempt WHERE id = 2");
    ASSERT(seq > 0);
    ASSERT_EQ_INT(SQLITE_OK, sqlite3_exec(store->db,
                                          "DROP TRIGGER attempt_no_delete;"
                                          "DELETE FROM attempt WHERE id = 2",
                                          NULL, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ETAMPER, read_batch(store, &start, 100, &count, &last,
                                             &decisions, &bad));
    ASSERT_EQ_INT(seq, bad);
    sarhad_store_close(store);
}

TEST(central_push_refuses_a_diverged_high_water_mark)
{
    struct sarhad_store *store = post_with_crossings("central_diverged.db");
    struct wanted mark = {2, {0}}, last;
    int64_t head = 0, bad = 0;
    int count, decisions;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_audit_read(store, 2, 1, find_hash, &mark, NULL));
    ASSERT_OK(read_batch(store, &mark, 100, &count, &last, &decisions, &bad));
    ASSERT(count > 0);
    /* The central holds entry 2 with another hash. */
    mark.hash[0] ^= 1;
    ASSERT_EQ_INT(SARHAD_ETAMPER, read_batch(store, &mark, 100, &count, &last,
                                             &decisions, &bad));
    ASSERT_EQ_INT(2, bad);
    ASSERT_EQ_INT(0, count);
    /* The central holds more than the post has (an old backup). */
    ASSERT_OK(sarhad__push_local_head(store, &head, NULL));
    mark.seq = head + 5;
    ASSERT_EQ_INT(SARHAD_ETAMPER, read_batch(store, &mark, 100, &count, &last,
                                             &decisions, &bad));
    ASSERT_EQ_INT(head + 5, bad);
    sarhad_store_close(store);
}
