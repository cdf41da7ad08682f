/*
 * central_verify.c - what the central can say about itself: each post's
 * progress (status), and proof that its copy of every post's log is the
 * one the posts pushed (verify).  Verify recomputes each chain from the
 * central's own rows with the post's hash function, so an entry edited in
 * PostgreSQL (by someone who disabled the triggers) breaks the chain at
 * that entry; the post's recorded head catches a cut tail, and the posts'
 * signed checkpoints a chain rewritten from some entry on.  It reads in
 * one REPEATABLE READ snapshot, so pushes going on meanwhile are not
 * mistaken for damage.
 */
#include "central.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UTC_TEXT(col)                                                          \
    "coalesce(to_char(" col " AT TIME ZONE 'UTC',"                             \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

/* The last bundle serial of a kind a post applied, from its pushed
 * "bundle_applied" entries (0 for none). */
#define LAST_BUNDLE(kind)                                                      \
    "(SELECT coalesce(max((e.detail_json ->> 'serial')::bigint), 0)"           \
    " FROM event e WHERE e.post = p.code AND e.kind = 'bundle_applied'"        \
    " AND e.detail_json ->> 'kind' = '" kind "')"
#define LAST_EVENT_AT    UTC_TEXT("p.last_event_at")
#define LAST_PUSH_AT     UTC_TEXT("p.last_push_at")
#define POLICY_BUNDLE    LAST_BUNDLE("policy")
#define WATCHLIST_BUNDLE LAST_BUNDLE("watchlist")
/* The time since a post's last push is the central's own clock's, so a
 * console on a machine whose clock is off still tells silent posts. */
static const char sql_status[] =
    "SELECT p.code, p.last_seq, " LAST_EVENT_AT ", " LAST_PUSH_AT ","
    " (SELECT count(*) FROM audit_checkpoint c WHERE c.post = p.code),"
    " p.public_key IS NOT NULL, (SELECT v.name || ' ' || v.version"
    " FROM policy_version v WHERE v.post = p.code"
    " ORDER BY v.number DESC LIMIT 1), " POLICY_BUNDLE ", " WATCHLIST_BUNDLE
    ", greatest(extract(epoch FROM now() - p.last_push_at), 0)::bigint"
    " FROM post p ORDER BY p.code";

enum sarhad_status
sarhad_central_status(struct sarhad_central *central,
                      bool (*fn)(void *ctx,
                                 const struct sarhad_central_post *p),
                      void *ctx, struct sarhad_error *err)
{
    struct sarhad_central_post post;
    enum sarhad_status s = sarhad__central_require_schema(central, err);
    PGresult *res;

    if (s != SARHAD_OK)
        return s;
    res = sarhad__central_run(central, sql_status, NULL, "read the posts", err);
    if (res == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    for (int i = 0; i < PQntuples(res); i++) {
        memset(&post, 0, sizeof(post));
        sarhad__strlcpy(post.post, PQgetvalue(res, i, 0), sizeof(post.post));
        post.last_seq = strtoll(PQgetvalue(res, i, 1), NULL, 10);
        sarhad__strlcpy(post.last_event_at, PQgetvalue(res, i, 2),
                        sizeof(post.last_event_at));
        sarhad__strlcpy(post.last_push_at, PQgetvalue(res, i, 3),
                        sizeof(post.last_push_at));
        post.checkpoints = strtoll(PQgetvalue(res, i, 4), NULL, 10);
        post.has_key = PQgetvalue(res, i, 5)[0] == 't';
        sarhad__strlcpy(post.policy, PQgetvalue(res, i, 6),
                        sizeof(post.policy));
        post.policy_bundle = strtoll(PQgetvalue(res, i, 7), NULL, 10);
        post.watchlist_bundle = strtoll(PQgetvalue(res, i, 8), NULL, 10);
        post.since_push = strtoll(PQgetvalue(res, i, 9), NULL, 10);
        if (!fn(ctx, &post))
            break;
    }
    PQclear(res);
    return SARHAD_OK;
}

static const char sql_posts[] =
    "SELECT code, last_seq, last_hash, public_key FROM post ORDER BY code";
static const char sql_events[] =
    "SELECT seq, at_text, actor_user, actor_role, actor_post, actor_address,"
    " kind, subject, detail, prev_hash, hash FROM event"
    " WHERE post = $1 AND seq > $2 ORDER BY seq LIMIT 5000";
static const char sql_checkpoints[] =
    "SELECT c.seq, c.hash, c.at_text, c.signature, e.hash"
    " FROM audit_checkpoint c LEFT JOIN event e"
    " ON e.post = c.post AND e.seq = c.seq"
    " WHERE c.post = $1 ORDER BY c.seq";

/* One post's chain as it is being walked. */
struct walk {
    char post[16];
    int64_t next_seq;
    unsigned char prev[32];
    bool has_key;
    unsigned char key[32];
};

static bool
finding(struct sarhad_central_report *r, const char *post, int64_t seq,
        const char *problem)
{
    r->ok = false;
    sarhad__strlcpy(r->post, post, sizeof(r->post));
    r->first_bad = seq;
    sarhad__strlcpy(r->problem, problem, sizeof(r->problem));
    return false;
}

static void
text_col(char *out, size_t cap, const PGresult *res, int row, int col)
{
    sarhad__strlcpy(out, PQgetvalue(res, row, col), cap);
}

/* Check one row of sql_events; false (with the finding) when it is bad. */
static bool
check_event(struct walk *w, const PGresult *res, int i,
            struct sarhad_central_report *r)
{
    struct sarhad_audit_entry e;
    unsigned char prev[32], computed[32];

    memset(&e, 0, sizeof(e));
    e.seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    sarhad__strlcpy(e.post, w->post, sizeof(e.post));
    text_col(e.at, sizeof(e.at), res, i, 1);
    text_col(e.actor.user, sizeof(e.actor.user), res, i, 2);
    text_col(e.actor.role, sizeof(e.actor.role), res, i, 3);
    text_col(e.actor.post, sizeof(e.actor.post), res, i, 4);
    text_col(e.actor.address, sizeof(e.actor.address), res, i, 5);
    text_col(e.kind, sizeof(e.kind), res, i, 6);
    text_col(e.subject, sizeof(e.subject), res, i, 7);
    e.detail = PQgetvalue(res, i, 8);
    if (e.seq != w->next_seq)
        return finding(r, w->post, w->next_seq,
                       "entry is missing from the central (deleted)");
    if (!sarhad__pg_bytea(prev, 32, res, i, 9) ||
        !sarhad__pg_bytea(e.hash, 32, res, i, 10))
        return finding(r, w->post, e.seq, "entry's hashes are malformed");
    sarhad__audit_entry_hash(computed, prev, e.seq, &e);
    if (sodium_memcmp(computed, e.hash, 32) != 0)
        return finding(r, w->post, e.seq,
                       "entry was altered in the central: its content does "
                       "not match its hash");
    if (sodium_memcmp(prev, w->prev, 32) != 0)
        return finding(r, w->post, e.seq,
                       "entry does not follow its predecessor (inserted, "
                       "or the chain was rewritten)");
    memcpy(w->prev, e.hash, 32);
    w->next_seq++;
    r->checked++;
    return true;
}

/* Walk the post's events a page at a time; *sound false at a finding. */
static enum sarhad_status
walk_events(struct sarhad_central *c, struct walk *w,
            struct sarhad_central_report *r, bool *sound,
            struct sarhad_error *err)
{
    struct sarhad__pg_params p;
    PGresult *res;
    int rows;

    *sound = true;
    do {
        p.n = 0;
        sarhad__pg_text(&p, w->post);
        sarhad__pg_int(&p, w->next_seq - 1);
        res = sarhad__central_run(c, sql_events, &p, "read the events", err);
        if (res == NULL)
            return err != NULL ? err->code : SARHAD_EDB;
        rows = PQntuples(res);
        for (int i = 0; i < rows && *sound; i++)
            *sound = check_event(w, res, i, r);
        PQclear(res);
    } while (*sound && rows > 0);
    return SARHAD_OK;
}

/* Each checkpoint signed by the post's key over the entry it names. */
static enum sarhad_status
walk_checkpoints(struct sarhad_central *c, const struct walk *w,
                 struct sarhad_central_report *r, bool *sound,
                 struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};
    unsigned char hash[32], entry[32], sig[64], digest[32];
    PGresult *res;
    int64_t seq;

    sarhad__pg_text(&p, w->post);
    res = sarhad__central_run(c, sql_checkpoints, &p, "read the checkpoints",
                              err);
    if (res == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    *sound = true;
    for (int i = 0; i < PQntuples(res) && *sound; i++) {
        seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        if (!w->has_key)
            *sound = finding(r, w->post, seq,
                             "checkpoint present but the post's public key "
                             "is not recorded");
        else if (!sarhad__pg_bytea(hash, 32, res, i, 1) ||
                 !sarhad__pg_bytea(sig, 64, res, i, 3) ||
                 !sarhad__pg_bytea(entry, 32, res, i, 4))
            *sound = finding(r, w->post, seq, "checkpoint is malformed");
        else {
            sarhad__audit_checkpoint_digest(digest, seq, hash,
                                            PQgetvalue(res, i, 2));
            if (crypto_sign_verify_detached(sig, digest, 32, w->key) != 0)
                *sound = finding(r, w->post, seq,
                                 "checkpoint signature is not valid under "
                                 "the post's key: forged or edited");
            else if (sodium_memcmp(hash, entry, 32) != 0)
                *sound = finding(r, w->post, seq,
                                 "entry differs from the one the post's "
                                 "signed checkpoint covers");
            else
                r->checkpoints++;
        }
    }
    PQclear(res);
    return SARHAD_OK;
}

/* One post: its chain, its recorded head, its checkpoints. */
static enum sarhad_status
verify_post(struct sarhad_central *c, const PGresult *posts, int i,
            struct sarhad_central_report *r, struct sarhad_error *err)
{
    struct walk w;
    unsigned char head[32];
    int64_t last_seq = strtoll(PQgetvalue(posts, i, 1), NULL, 10), chain_end;
    enum sarhad_status s;
    bool sound;
    char problem[160];

    memset(&w, 0, sizeof(w));
    sarhad__strlcpy(w.post, PQgetvalue(posts, i, 0), sizeof(w.post));
    w.next_seq = 1;
    w.has_key =
        !PQgetisnull(posts, i, 3) && sarhad__pg_bytea(w.key, 32, posts, i, 3);
    s = walk_events(c, &w, r, &sound, err);
    if (s != SARHAD_OK || !sound)
        return s;
    chain_end = w.next_seq - 1;
    if (chain_end < last_seq) {
        snprintf(problem, sizeof(problem),
                 "entry is missing: the post pushed up to %lld but the "
                 "central's chain ends at %lld (tail deleted)",
                 (long long)last_seq, (long long)chain_end);
        finding(r, w.post, chain_end + 1, problem);
        return SARHAD_OK;
    }
    if (chain_end > last_seq) {
        finding(r, w.post, last_seq + 1,
                "entry is past the head the post pushed (inserted in the "
                "central)");
        return SARHAD_OK;
    }
    if (!sarhad__pg_bytea(head, 32, posts, i, 2) ||
        sodium_memcmp(head, w.prev, 32) != 0) {
        finding(r, w.post, last_seq,
                "entry differs from the head the post pushed (the chain "
                "was rewritten in the central)");
        return SARHAD_OK;
    }
    return walk_checkpoints(c, &w, r, &sound, err);
}

static enum sarhad_status
verify_in(struct sarhad_central *c, struct sarhad_central_report *r,
          struct sarhad_error *err)
{
    PGresult *posts =
        sarhad__central_run(c, sql_posts, NULL, "read the posts", err);
    enum sarhad_status s = SARHAD_OK;

    if (posts == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    for (int i = 0; i < PQntuples(posts) && s == SARHAD_OK && r->ok; i++) {
        r->posts++;
        s = verify_post(c, posts, i, r, err);
    }
    PQclear(posts);
    return s;
}

enum sarhad_status
sarhad_central_verify(struct sarhad_central *central,
                      struct sarhad_central_report *report,
                      struct sarhad_error *err)
{
    struct sarhad_central_report r;
    enum sarhad_status s = sarhad__central_require_schema(central, err);

    if (s != SARHAD_OK)
        return s;
    memset(&r, 0, sizeof(r));
    r.ok = true;
    s = sarhad__central_exec(central,
                             "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                             "begin reading", err);
    if (s == SARHAD_OK)
        s = verify_in(central, &r, err);
    PQclear(PQexec(central->conn, "ROLLBACK"));
    if (s != SARHAD_OK)
        return s;
    *report = r;
    return SARHAD_OK;
}
