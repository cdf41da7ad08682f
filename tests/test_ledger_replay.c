/*
 * test_ledger_replay.c - the recorded attempts read back in order as the
 * presentations that were decided: deciding them again under the same
 * policy gives the same decisions; an attempt whose MRZ did not read
 * cleanly is marked as not replayable rather than read back as clean.
 */
#include "ledger_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct seen {
    struct sarhad_ledger *ledger; /* decides again, without recording */
    unsigned n, replayable, same;
    int64_t ids[8];
};

static bool
decide_again(void *ctx, const struct sarhad_recorded_attempt *a)
{
    struct seen *s = ctx;
    struct sarhad_history h;
    struct sarhad_decision d;

    if (s->n < 8)
        s->ids[s->n] = a->id;
    s->n++;
    if (!a->replayable)
        return true;
    s->replayable++;
    /* The first sighting of each: no history, as when it was decided. */
    memset(&h, 0, sizeof(h));
    h.known = true;
    if (sarhad_policy_decide(&d, sarhad_ledger_policy(s->ledger), a->p, &h,
                             NULL, NULL) == SARHAD_OK &&
        d.outcome == a->outcome && strcmp(d.rule, a->rule) == 0)
        s->same++;
    return true;
}

TEST(ledger_recorded_attempts_read_back_as_decided)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("recorded.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct seen s;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_MULTIPLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    begin(&p, "CHAMAN", SARHAD_EXIT, D(2023, 11, 6), "AFG");
    numbered(&p, SARHAD_DOC_POR, "POR-123456");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    /* A passport whose MRZ did not read cleanly (a check digit failed). */
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 7), "AFG");
    passport(&p, "P07654321");
    p.documents[0].mrz.valid = false;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));

    memset(&s, 0, sizeof(s));
    s.ledger = ledger;
    ASSERT_OK(sarhad_ledger_each_recorded(store, decide_again, &s, NULL));
    ASSERT_EQ_INT(3, (int)s.n);
    ASSERT_EQ_INT(1, (int)s.ids[0]); /* oldest first */
    ASSERT_EQ_INT(3, (int)s.ids[2]);
    ASSERT_EQ_INT(2, (int)s.replayable);
    ASSERT_EQ_INT(2, (int)s.same);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct changes {
    unsigned n;
    int64_t first;
    bool stop;
};

static void
count_change(void *ctx, const struct sarhad_recorded_attempt *a,
             const struct sarhad_decision *d)
{
    struct changes *c = ctx;

    (void)d;
    if (c->n++ == 0)
        c->first = a->id;
}

static bool
stop_at_once(void *ctx, int64_t read)
{
    (void)read;
    return !((struct changes *)ctx)->stop;
}

/* Whether dir holds nothing but "." and "..". */
static bool
empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool empty = d != NULL;

    while (d != NULL && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    if (d != NULL)
        closedir(d);
    return empty;
}

TEST(ledger_replay_under_a_draft)
{
    static const char refuse_all[] =
        "policy \"ledger-test\" version 2\n"
        "rule everyone \"Everyone is refused\"\n"
        "  refuse\n"
        "  reason closed \"The crossing is closed.\"\n"
        "end\n";
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("replayed.db", &ledger);
    struct sarhad_replay_options opt;
    struct sarhad_replay_result res;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    struct changes c;
    char tmp[300];
    size_t len;
    char *text = slurp("tests/data/ledger_test.policy", &len);

    ASSERT(store != NULL && text != NULL);
    snprintf(tmp, sizeof(tmp), "%s/replay-tmp", test_tmpdir());
    ASSERT(mkdir(tmp, 0700) == 0 || errno == EEXIST);
    /* Past a thousand, so progress is asked at least once. */
    for (int i = 0; i < 1501; i++) {
        begin(&p, "TORKHAM", i % 2 ? SARHAD_EXIT : SARHAD_ENTRY, D(2023, 11, 5),
              "AFG");
        ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d,
                                      NULL, NULL));
    }
    memset(&opt, 0, sizeof(opt));
    memset(&c, 0, sizeof(c));
    opt.tmp_dir = tmp;
    opt.changed = count_change;
    opt.progress = stop_at_once;
    opt.ctx = &c;
    /* The policy in force: nothing moves. */
    ASSERT_OK(
        sarhad_replay(store, "same", text, len, &opt, 1700000100, &res, &err));
    ASSERT_EQ_INT(1501, res.read);
    ASSERT_EQ_INT(1501, res.counted);
    ASSERT_EQ_INT(0, res.changed);
    ASSERT_EQ_INT(0, c.n);
    /* A draft that refuses everyone: every admission moves to refuse. */
    ASSERT_OK(sarhad_replay(store, "draft", refuse_all, sizeof(refuse_all) - 1,
                            &opt, 1700000100, &res, &err));
    ASSERT_EQ_INT(res.counted, res.changed);
    ASSERT_EQ_INT(res.changed, (long)c.n);
    ASSERT_EQ_INT(1, c.first);
    ASSERT_EQ_INT(res.counted, res.moved[SARHAD_ADMIT][SARHAD_REFUSE] +
                                   res.moved[SARHAD_REFUSE][SARHAD_REFUSE] +
                                   res.moved[SARHAD_REFER][SARHAD_REFUSE]);
    /* Only the days asked for are counted. */
    opt.from = "2023-11-06";
    ASSERT_OK(sarhad_replay(store, "draft", refuse_all, sizeof(refuse_all) - 1,
                            &opt, 1700000100, &res, &err));
    ASSERT_EQ_INT(0, res.counted);
    ASSERT_EQ_INT(1501, res.read);
    opt.from = NULL;
    /* A draft that does not compile names its line. */
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_replay(store, "bad", "policy \"x\" version 2\nrule\n",
                                29, &opt, 1700000100, &res, &err));
    ASSERT_EQ_INT(2, err.line);
    /* Stopped by its progress callback. */
    c.stop = true;
    ASSERT_EQ_INT(SARHAD_EIO, sarhad_replay(store, "same", text, len, &opt,
                                            1700000100, &res, &err));
    /* No scratch ledger is ever left behind. */
    ASSERT(empty_dir(tmp));
    free(text);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

static bool
list_row(void *ctx, int64_t id, const char *doc)
{
    char *out = ctx;
    size_t n = strlen(out);

    snprintf(out + n, 256 - n, "%lld:%s;", (long long)id, doc);
    return true;
}

/* A replay the server ran is kept under the seq of its audit entry, read
 * back whole, listed newest first without its changes, and never kept
 * twice or changed; an id that is no replay's entry is refused, and
 * sarhad verify finds a kept replay without its entry. */
TEST(ledger_replays_kept_under_their_audit_entry)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("kept.db", &ledger);
    struct sarhad_replay_options opt;
    struct sarhad_error err;
    int64_t first, second;
    char *doc = NULL;
    char list[256] = "";

    ASSERT(store != NULL);
    memset(&opt, 0, sizeof(opt));
    ASSERT_OK(sarhad_audit_replay(store, &officer, 1700000000, "draft", 2,
                                  "draft.policy", "policy", 6, &opt, &first,
                                  NULL));
    ASSERT_OK(sarhad_audit_replay(store, &officer, 1700000100, "draft", 3,
                                  "draft.policy", "policy", 6, &opt, &second,
                                  NULL));
    ASSERT(second > first);
    ASSERT_OK(sarhad_replay_keep(
        store, first, "{\"state\":\"done\",\"changes\":[1,2]}", NULL));
    ASSERT_OK(
        sarhad_replay_keep(store, second, "{\"state\":\"failed\"}", NULL));
    ASSERT_EQ_INT(SARHAD_EEXIST, sarhad_replay_keep(store, first, "{}", &err));
    /* The policy's publication is entry 1 or so: not a replay. */
    ASSERT_EQ_INT(SARHAD_ENOTFOUND, sarhad_replay_keep(store, 1, "{}", &err));
    ASSERT_EQ_STR("id", err.field);
    ASSERT(sarhad_replay_keep(store, second + 1, "not json", &err) !=
           SARHAD_OK);

    ASSERT_OK(sarhad_replay_find(store, first, &doc, NULL));
    ASSERT_EQ_STR("{\"state\":\"done\",\"changes\":[1,2]}", doc);
    free(doc);
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_replay_find(store, second + 5, &doc, &err));
    ASSERT(doc == NULL);
    ASSERT_OK(sarhad_replay_list(store, 0, 10, list_row, list, NULL));
    snprintf(list + strlen(list), sizeof(list) - strlen(list), "|");
    ASSERT_OK(sarhad_replay_list(store, second, 10, list_row, list, NULL));
    {
        char want[256];
        snprintf(want, sizeof(want),
                 "%lld:{\"state\":\"failed\"};%lld:{\"state\":\"done\"};"
                 "|%lld:{\"state\":\"done\"};",
                 (long long)second, (long long)first, (long long)first);
        ASSERT_EQ_STR(want, list);
    }
    ASSERT(sarhad__store_exec(store->db, "UPDATE replay_kept SET doc = '{}'",
                              NULL) != SARHAD_OK);
    ASSERT(sarhad__store_exec(store->db, "DELETE FROM replay_kept", NULL) !=
           SARHAD_OK);
    ASSERT_EQ_INT(0, problems(store));
    ASSERT_OK(sarhad__store_exec(
        store->db, "INSERT INTO replay_kept VALUES (1, '{}')", NULL));
    ASSERT(problems(store) > 0);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
