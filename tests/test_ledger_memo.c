/*
 * test_ledger_memo.c - the writing ledger's memo of its store must never
 * change a decision.  A long stream of crossings over a small pool of
 * travellers (repeat entries that lose stays, exits, single-entry visas
 * used up, new passports linked, PoR returns, referrals resolved) is
 * recorded twice, by a ledger with its memo that is given each crossing
 * prepared (sarhad_ledger_prepare: its text and audit hash made
 * beforehand) and by one without either, and every decision and every row,
 * the audit chain's hashes included, must agree.  Also: a commit by another
 * connection is noticed, and a store error part-way through an item abandons
 * its batch instead of leaving half an item behind.
 */
#include "ledger_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#define POOL 12

static const char *const surnames[POOL] = {
    "NOORI", "KHAN",  "POPAL",  "SAFI",  "HOTAK", "ZADRAN",
    "KAKAR", "WAZIR", "AFRIDI", "MALIK", "QADRI", "SULTANI"};

struct stream {
    uint64_t seed;
    int day; /* days after 1 Nov 2023 */
    int passport_serial[POOL];
};

static unsigned
draw(struct stream *s, unsigned n)
{
    s->seed = s->seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(s->seed >> 33) % n;
}

static struct sarhad_date
day_of(int n)
{
    struct sarhad_date d = D(2023, 11, 1);
    int32_t days = sarhad_date_to_days(d) + n;

    return sarhad_date_from_days(days);
}

/* The next presentation of the stream. */
static void
next(struct stream *s, struct sarhad_presentation *p)
{
    unsigned kind = draw(s, 100), who = draw(s, POOL);
    struct sarhad_date day;
    char number[16];

    s->day += (int)draw(s, 3);
    /* Now and then a paper record typed in late: an earlier day. */
    day = day_of(draw(s, 20) == 0 ? s->day - 5 : s->day);
    if (kind < 50) {
        enum sarhad_direction dir =
            draw(s, 100) < 55 ? SARHAD_ENTRY : SARHAD_EXIT;
        begin(p, "TORKHAM", dir, day, "AFG");
        if (draw(s, 25) == 0)
            s->passport_serial[who]++; /* a new passport: linked by name */
        snprintf(number, sizeof(number), "P%02d%05d", (int)who,
                 s->passport_serial[who]);
        mrz_doc(p, SARHAD_DOC_PASSPORT, SARHAD_MRZ_TD3, "AFG", "AFG",
                surnames[who], number, D(2030, 1, 1));
        snprintf(number, sizeof(number), "V%02d%05d", (int)who,
                 s->day / 40); /* a new visa every forty days */
        mrz_doc(p, SARHAD_DOC_VISA, SARHAD_MRZ_MRVA, "PAK", "AFG",
                surnames[who], number, D(2030, 1, 1));
        strcpy(p->documents[1].category, "visit");
        p->documents[1].entries = who % 3 == 0   ? SARHAD_ENTRIES_SINGLE
                                  : who % 3 == 1 ? SARHAD_ENTRIES_DOUBLE
                                                 : SARHAD_ENTRIES_MULTIPLE;
        p->documents[1].stay_days = 30;
    } else if (kind < 70) {
        begin(p, "TORKHAM", SARHAD_EXIT, day, "AFG");
        snprintf(number, sizeof(number), "POR%03u", draw(s, 30));
        numbered(p, SARHAD_DOC_POR, number);
        p->movement.category = draw(s, 4) == 0 ? SARHAD_MOVE_REGULAR
                                               : SARHAD_MOVE_SPONTANEOUS_RETURN;
        p->movement.household_size = 1;
    } else if (kind < 85) {
        begin(p, "CHAMAN", draw(s, 2) ? SARHAD_ENTRY : SARHAD_EXIT, day, "PAK");
        snprintf(number, sizeof(number), "1730100000%02u1", draw(s, 40));
        numbered(p, SARHAD_DOC_CNIC, number);
    } else {
        begin(p, "TORKHAM", SARHAD_EXIT, day, "AFG");
        p->movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
        p->movement.household_size = 3;
    }
}

/* A digest of what sql reads (every column of every row, as text). */
static uint64_t
digest(struct sarhad_store *store, const char *sql)
{
    uint64_t h = 1469598103934665603ull;
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *v = sqlite3_column_text(st, c);
            for (; v != NULL && *v != '\0'; v++)
                h = (h ^ *v) * 1099511628211ull;
            h = (h ^ 0xff) * 1099511628211ull;
        }
    sqlite3_finalize(st);
    return h;
}

static const char *const tables[] = {
    "SELECT * FROM attempt ORDER BY id",
    "SELECT * FROM traveller ORDER BY id",
    "SELECT * FROM traveller_key ORDER BY kind, value",
    "SELECT * FROM traveller_link ORDER BY rowid",
    "SELECT * FROM stay ORDER BY id",
    "SELECT * FROM visa ORDER BY key",
    "SELECT * FROM movement ORDER BY attempt_id",
    "SELECT * FROM por_cancelled ORDER BY number",
    "SELECT * FROM referral_open ORDER BY attempt_id",
    "SELECT * FROM resolution ORDER BY attempt_id",
    "SELECT * FROM daily_summary ORDER BY 1, 2, 3, 4, 5, 6",
    "SELECT * FROM returns_summary ORDER BY 1, 2, 3, 4, 5, 6, 7",
    "SELECT * FROM refusal_summary ORDER BY 1, 2, 3, 4, 5",
    "SELECT seq, hash FROM audit_log ORDER BY seq",
};

static int64_t
oldest_referral(struct sarhad_store *store)
{
    long long id = scalar(store, "SELECT min(attempt_id) FROM referral_open");

    return id > 0 ? id : 0;
}

TEST(ledger_memo_never_changes_a_decision)
{
    struct sarhad_ledger *with, *without;
    struct sarhad_store *a = fresh("memo-a.db", &with);
    struct sarhad_store *b = fresh("memo-b.db", &without);
    struct stream s = {20231101, 0, {0}};
    struct sarhad_presentation p;
    struct sarhad_prepared *prep;
    char ja[4096], jb[4096];
    unsigned lost = 0, linked = 0, used_up = 0, cancelled = 0, resolved = 0;

    ASSERT(a != NULL && b != NULL);
    ASSERT_OK(sarhad_prepared_new(&prep, NULL));
    sarhad__memo_free(without->memo);
    without->memo = NULL;
    for (int i = 0; i < 3000;) {
        unsigned group = 1 + draw(&s, 40);
        ASSERT_OK(sarhad_store_begin(a, NULL));
        ASSERT_OK(sarhad_store_begin(b, NULL));
        for (unsigned g = 0; g < group; g++, i++) {
            struct sarhad_decision da, db;
            int64_t ia = 0, ib = 0;
            enum sarhad_status sa, sb;
            next(&s, &p);
            ASSERT_OK(sarhad_ledger_prepare(with, &p, prep, NULL));
            sa = sarhad_ledger_cross_prepared(with, prep, &officer,
                                              1700000000 + i, &da, &ia, NULL);
            sb = sarhad_ledger_cross(without, &p, &officer, 1700000000 + i, &db,
                                     &ib, NULL);
            ASSERT_EQ_INT(sb, sa);
            if (sa != SARHAD_OK)
                continue;
            ASSERT_EQ_INT(ib, ia);
            sarhad_decision_json(ja, sizeof(ja), &da);
            sarhad_decision_json(jb, sizeof(jb), &db);
            ASSERT_EQ_STR(jb, ja);
            lost += has_flag(&da, "previous_stay_open");
            linked += has_flag(&da, "identity_linked");
            cancelled += has_flag(&da, "por_cancelled");
            used_up += da.outcome == SARHAD_REFUSE &&
                       strstr(ja, "visa_entries_used") != NULL;
        }
        /* A supervisor admits the oldest referral now and then. */
        if (draw(&s, 3) == 0 && oldest_referral(a) != 0) {
            int64_t id = oldest_referral(a);
            ASSERT_EQ_INT(id, oldest_referral(b));
            ASSERT_OK(sarhad_ledger_resolve(with, id, SARHAD_ADMIT, "seen",
                                            &supervisor, 1800000000, NULL,
                                            NULL));
            ASSERT_OK(sarhad_ledger_resolve(without, id, SARHAD_ADMIT, "seen",
                                            &supervisor, 1800000000, NULL,
                                            NULL));
            resolved++;
        }
        ASSERT_OK(sarhad_store_commit(a, NULL));
        ASSERT_OK(sarhad_store_commit(b, NULL));
    }
    /* The stream did exercise what the memo remembers. */
    ASSERT(lost > 10 && linked > 5 && cancelled > 10 && resolved > 5 &&
           used_up > 5);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        uint64_t da = digest(a, tables[t]), db = digest(b, tables[t]);
        if (da != db)
            fprintf(stderr, "  differs: %s\n", tables[t]);
        ASSERT(da != 0 && da == db);
    }
    ASSERT_EQ_INT(0, problems(a));
    sarhad_prepared_free(prep);
    sarhad_ledger_close(with);
    sarhad_ledger_close(without);
    sarhad_store_close(a);
    sarhad_store_close(b);
}

TEST(ledger_memo_notices_another_connection)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("memo-other.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    char path[300];
    sqlite3 *other;

    ASSERT(store != NULL);
    /* The memo learns that PoR card 77 is not cancelled... */
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    numbered(&p, SARHAD_DOC_POR, "POR77");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    ASSERT(!has_flag(&d, "por_cancelled"));
    /* ...then another connection records its cancellation. */
    snprintf(path, sizeof(path), "%s/memo-other.db", test_tmpdir());
    ASSERT_EQ_INT(SQLITE_OK, sqlite3_open(path, &other));
    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_exec(other,
                               "INSERT INTO por_cancelled(number, attempt_id,"
                               " day) VALUES ('POR77', 1, '2023-11-05')",
                               NULL, NULL, NULL));
    sqlite3_close(other);
    ASSERT_OK(sarhad_store_begin(store, NULL));
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000001, &d, NULL, NULL));
    ASSERT_OK(sarhad_store_commit(store, NULL));
    ASSERT(has_flag(&d, "por_cancelled"));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_store_error_mid_item_abandons_the_batch)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("abandon.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;

    ASSERT(store != NULL);
    /* The attempt row fails after the traveller and key rows were
     * written: the item cannot be undone alone. */
    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_exec(store->db,
                               "CREATE TEMP TRIGGER boom BEFORE INSERT ON"
                               " main.attempt WHEN NEW.counter = 'BOOM'"
                               " BEGIN SELECT RAISE(ABORT, 'disk on fire');"
                               " END",
                               NULL, NULL, NULL));
    ASSERT_OK(sarhad_store_begin(store, NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_DOUBLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    strcpy(p.counter, "BOOM");
    passport(&p, "P07654321");
    ASSERT(sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL,
                               &err) != SARHAD_OK);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 6), "AFG");
    ASSERT_EQ_INT(SARHAD_EIO, sarhad_ledger_cross(ledger, &p, &officer,
                                                  1700000000, &d, NULL, &err));
    ASSERT(strstr(err.message, "abandoned") != NULL);
    ASSERT_EQ_INT(SARHAD_EIO, sarhad_store_commit(store, &err));
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM traveller"));
    /* The next batch starts clean, and the memo did not keep the
     * traveller whose rows were rolled back. */
    ASSERT_OK(sarhad_store_begin(store, NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 7), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_DOUBLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    ASSERT(!has_flag(&d, "previous_stay_open"));
    ASSERT_OK(sarhad_store_commit(store, NULL));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM traveller"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
