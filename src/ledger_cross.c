/*
 * ledger_cross.c - deciding and recording one crossing.  The history is
 * read inside the same write transaction that records the result, so two
 * decisions can never both use the last entry of a single-entry visa.
 *
 * A crossing runs in three steps: read and decide (identity, history,
 * screening, the policy), prepare (ids, the JSON texts, the summary
 * increments, the audit detail), then write the rows.  Everything that can
 * fail for a reason of the crossing's own happens before the first row is
 * written, so inside a group-commit batch a bad crossing is dropped alone
 * without a savepoint; a store error while writing abandons the batch
 * (sarhad__store_write_end).  The ids are fixed before anything is
 * written so that the audit entry, the traveller's first sighting and the
 * attempt row all name each other.
 */
#include "ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char sql_next_attempt[] =
    "SELECT coalesce(max(id), 0) + 1 FROM attempt";
static const char sql_next_traveller[] =
    "SELECT coalesce(max(id), 0) + 1 FROM traveller";
static const char sql_attempt_put[] =
    "INSERT INTO attempt(id, post, crossing, counter, officer, direction,"
    " time, day, recorded_at, traveller_id, nationality, decision, rule,"
    " policy_name, policy_version, overstay_days, fine_usd, visa_key,"
    " allowed_days, presentation, decision_json, audit_seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";
static const char sql_visa_put[] =
    "INSERT OR IGNORE INTO visa(key, traveller_id, category,"
    " entries_allowed, stay_days, valid_from, valid_until, entries_used)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)";
static const char sql_movement_put[] =
    "INSERT INTO movement(attempt_id, category, documentation, household,"
    " household_size, sex, age_band, vulnerabilities, vehicles,"
    " intended_stay, arrest_province, days_held)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char sql_referral_put[] =
    "INSERT INTO referral(attempt_id, post) VALUES (?1, ?2)";
static const char sql_referral_open[] =
    "INSERT INTO referral_open(attempt_id) VALUES (?1)";

/* Everything one crossing needs while it is being recorded. */
struct crossing {
    struct sarhad_ledger *ledger;
    const struct sarhad_presentation *p;
    const struct sarhad_prepared *prep; /* made beforehand, or NULL */
    const struct sarhad_actor *who;
    int64_t now;
    int64_t attempt_id;
    struct sarhad__identity id;
    struct sarhad_decision *d;
    const struct sarhad_document *visa;
    char day[11];
    char por[32];
    bool citizen;
    bool batch; /* in a group-commit batch: summaries are tallied */
    struct sarhad__item_tallies tallies;
    const struct sarhad__buf *pres; /* prep's, or the ledger's */
    struct sarhad__buf *dec;        /* the ledger's buffers */
    struct sarhad__buf *detail;
    char subject[40]; /* the audit entry's subject */
};

static void
add_flag(struct sarhad_decision *d, const char *code, const char *detail)
{
    if (d->flag_count >= SARHAD_MAX_FLAGS)
        return;
    sarhad__strlcpy(d->flags[d->flag_count].code, code,
                    sizeof(d->flags[0].code));
    sarhad__strlcpy(d->flags[d->flag_count].detail, detail,
                    sizeof(d->flags[0].detail));
    d->flag_count++;
}

/* A key's kind as an officer reads it. */
static const char *
document_words(const char *kind)
{
    static const char *const words[][2] = {
        {"cnic", "CNIC"}, {"por", "PoR card"}, {"acc", "ACC"}};

    for (size_t i = 0; i < SARHAD_COUNT_OF(words); i++)
        if (strcmp(kind, words[i][0]) == 0)
            return words[i][1];
    return kind; /* passport, tazkira */
}

/* The flags only the ledger can raise, from the history before this
 * presentation. */
static enum sarhad_status
history_flags(struct crossing *c, const struct sarhad_history *h,
              struct sarhad_error *err)
{
    const struct sarhad_stay *last =
        h->stay_count > 0 ? &h->stays[h->stay_count - 1] : NULL;
    /* An open stay entered after this exit's day cannot be the one it
     * ends (a clock or paper-fallback error): the exit has no entry. */
    bool open = last != NULL && last->exit.year == 0 &&
                sarhad_date_cmp(last->entry, c->p->time.date) <= 0;
    bool cancelled;
    enum sarhad_status s;

    if (c->citizen)
        return SARHAD_OK; /* citizens live here: no stays to speak of */
    if (c->p->direction == SARHAD_EXIT && !open)
        add_flag(c->d, "no_entry_on_record",
                 "no open stay is on record for this traveller");
    if (c->p->direction == SARHAD_ENTRY && open)
        add_flag(c->d, "previous_stay_open",
                 "an earlier entry has no exit on record");
    s = sarhad__por_is_cancelled(c->ledger->store, c->ledger->memo, c->p,
                                 &cancelled, err);
    if (s == SARHAD_OK && cancelled)
        add_flag(c->d, "por_cancelled",
                 "this PoR card was cancelled on an earlier return");
    return s;
}

static const struct sarhad_document *
find_visa(const struct sarhad_presentation *p)
{
    for (unsigned i = 0; i < p->document_count; i++)
        if (p->documents[i].kind == SARHAD_DOC_VISA)
            return &p->documents[i];
    return NULL;
}

static enum sarhad_status
put_visa(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    const struct sarhad_document *v = c->visa;
    static const int64_t recorded[2] = {1, 0};
    enum sarhad_status s;
    sqlite3_stmt *st;
    char from[11], until[11];
    int entries;

    if (v == NULL || c->id.visa_key[0] == '\0' || c->id.visa_known)
        return SARHAD_OK;
    st = sarhad__store_prepare(store, sql_visa_put, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    entries = v->entries == SARHAD_ENTRIES_SINGLE   ? 1
              : v->entries == SARHAD_ENTRIES_DOUBLE ? 2
                                                    : 0;
    sarhad_date_format(from, v->issued);
    sarhad_date_format(until, v->has_mrz && v->mrz.expiry_date.year != 0
                                  ? v->mrz.expiry_date
                                  : v->expiry);
    sqlite3_bind_text(st, 1, c->id.visa_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->id.traveller_id);
    sqlite3_bind_text(st, 3, v->category, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, entries);
    sqlite3_bind_int(st, 5, v->stay_days);
    sqlite3_bind_text(st, 6, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, until, -1, SQLITE_TRANSIENT);
    s = sarhad__store_step_done(store, st, "record the visa", err);
    if (s == SARHAD_OK && sqlite3_changes(store->db) > 0)
        sarhad__memo_put(c->ledger->memo, SARHAD__MEMO_VISA, c->id.visa_key,
                         recorded);
    return s;
}

static enum sarhad_status
put_movement(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    const struct sarhad_movement_info *m = &c->p->movement;
    char sex[2] = {'X', '\0'};
    const char *province;
    int held;
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_movement_put, err);

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    if (c->p->traveller.sex != 0)
        sex[0] = c->p->traveller.sex;
    sqlite3_bind_int64(st, 1, c->attempt_id);
    sqlite3_bind_text(st, 2, sarhad_movement_name(m->category), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sarhad__documentation(c->p), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->household, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, m->household_size);
    sqlite3_bind_text(st, 6, sex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(
        st, 7, sarhad__age_band(c->p->traveller.birth_date, c->p->time.date),
        -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, (int)m->vulnerabilities);
    sqlite3_bind_int(st, 9, m->vehicles);
    sqlite3_bind_text(st, 10, m->intended_stay, -1, SQLITE_STATIC);
    province = sarhad_province_name(m->arrest_province);
    sqlite3_bind_text(st, 11, province != NULL ? province : "", -1,
                      SQLITE_STATIC);
    held = sarhad__days_held(c->p);
    if (held >= 0)
        sqlite3_bind_int(st, 12, held);
    else
        sqlite3_bind_null(st, 12); /* the arrest is not dated */
    return sarhad__store_step_done(store, st, "record the movement", err);
}

static enum sarhad_status
put_attempt(struct crossing *c, int64_t seq, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    const struct sarhad_presentation *p = c->p;
    const struct sarhad_decision *d = c->d;
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_attempt_put, err);
    char time[26];

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sarhad_time_format(time, &p->time);
    sqlite3_bind_int64(st, 1, c->attempt_id);
    sqlite3_bind_text(st, 2, store->post, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->crossing, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->counter, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->who->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, p->direction == SARHAD_EXIT ? "exit" : "entry", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 7, time, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, c->day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, c->now);
    sqlite3_bind_int64(st, 10, c->id.traveller_id);
    sqlite3_bind_text(st, 11, p->traveller.nationality, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, sarhad_outcome_name(d->outcome), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 13, d->rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, d->policy_name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 15, d->policy_version);
    sqlite3_bind_int(st, 16, d->overstay_days);
    sqlite3_bind_int(st, 17, d->fine_usd);
    sqlite3_bind_text(st, 18, c->id.visa_key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 19, c->visa != NULL ? c->visa->stay_days : 0);
    sqlite3_bind_text(st, 20, c->pres->data, (int)c->pres->len, SQLITE_STATIC);
    sqlite3_bind_text(st, 21, c->dec->data, (int)c->dec->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 22, seq);
    return sarhad__store_step_done(store, st, "record the attempt", err);
}

/* The audit entry's detail: what was decided, and a hash over the
 * presentation and decision texts stored in the attempt, so the log alone
 * proves what the attempt row must hold. */
static void
audit_detail(struct crossing *c)
{
    static const char digits[] = "0123456789abcdef";
    crypto_generichash_state hs;
    unsigned char h[32];
    char hex[65];

    if (c->prep != NULL)
        memcpy(&hs, c->prep->hash, sizeof(hs));
    else
        sarhad__crossing_hash_start(&hs, c->pres);
    crypto_generichash_update(&hs, (const unsigned char *)c->dec->data,
                              c->dec->len);
    crypto_generichash_final(&hs, h, sizeof(h));
    for (size_t i = 0; i < sizeof(h); i++) {
        hex[2 * i] = digits[h[i] >> 4];
        hex[2 * i + 1] = digits[h[i] & 15];
    }
    hex[64] = '\0';
    sarhad__buf_reset(c->detail);
    sarhad__buf_puts(c->detail, "{\"attempt\":");
    sarhad__buf_int(c->detail, c->attempt_id);
    sarhad__buf_puts(c->detail, ",\"traveller\":");
    sarhad__buf_int(c->detail, c->id.traveller_id);
    sarhad__buf_puts(c->detail, ",\"crossing\":");
    sarhad__buf_json_str(c->detail, c->p->crossing);
    sarhad__buf_puts(c->detail, c->p->direction == SARHAD_EXIT
                                    ? ",\"direction\":\"exit\",\"day\":\""
                                    : ",\"direction\":\"entry\",\"day\":\"");
    sarhad__buf_puts(c->detail, c->day);
    sarhad__buf_puts(c->detail, "\",\"decision\":\"");
    sarhad__buf_puts(c->detail, sarhad_outcome_name(c->d->outcome));
    sarhad__buf_puts(c->detail, "\",\"rule\":");
    sarhad__buf_json_str(c->detail, c->d->rule);
    sarhad__buf_puts(c->detail, ",\"policy\":");
    sarhad__buf_json_str(c->detail, c->d->policy_name);
    sarhad__buf_puts(c->detail, ",\"policy_version\":");
    sarhad__buf_int(c->detail, c->d->policy_version);
    sarhad__buf_puts(c->detail, ",\"blake2b\":\"");
    sarhad__buf_puts(c->detail, hex);
    sarhad__buf_puts(c->detail, "\"}");
    snprintf(c->subject, sizeof(c->subject), "attempt:%lld",
             (long long)c->attempt_id);
}

/* The summary increments of this crossing, staged before any write (a key
 * that does not fit fails the crossing alone). */
static enum sarhad_status
stage_tallies(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    const struct sarhad_decision *d = c->d;
    const char *nat = c->p->traveller.nationality;
    const char *daily[6] = {c->day,
                            store->post,
                            c->p->crossing,
                            c->p->direction == SARHAD_EXIT ? "exit" : "entry",
                            nat,
                            sarhad_outcome_name(d->outcome)};
    enum sarhad_status s = sarhad__tally_daily(&c->tallies, daily, 1, err);

    for (unsigned i = 0; s == SARHAD_OK && d->outcome == SARHAD_REFUSE &&
                         i < (d->reason_count ? d->reason_count : 1);
         i++) {
        const char *key[5] = {c->day, store->post, c->p->crossing, nat,
                              d->reason_count ? d->reasons[i].code : "none"};
        s = sarhad__tally_refusal(&c->tallies, key, 1, err);
    }
    if (s == SARHAD_OK && d->outcome == SARHAD_ADMIT)
        s = sarhad__tally_purpose(
            &c->tallies, daily, c->p->traveller.purpose,
            c->p->direction == SARHAD_EXIT ? c->p->movement.intended_stay : "",
            1, err);
    if (s == SARHAD_OK && d->outcome == SARHAD_ADMIT &&
        c->p->direction == SARHAD_EXIT)
        s = sarhad__tally_returns(&c->tallies, c->day, store->post,
                                  c->p->crossing, c->p, err);
    return s;
}

static enum sarhad_status
record_outcome(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    const struct sarhad_decision *d = c->d;
    enum sarhad_status s;
    sqlite3_stmt *st;

    /* A refusal's reasons are in its decision text (schema step 8). */
    if (d->outcome == SARHAD_ADMIT) {
        struct sarhad__admit a;
        memset(&a, 0, sizeof(a));
        a.attempt_id = c->attempt_id;
        a.traveller_id = c->id.traveller_id;
        a.post = store->post;
        a.crossing = c->p->crossing;
        a.nationality = c->p->traveller.nationality;
        a.direction = c->p->direction;
        memcpy(a.day, c->day, sizeof(a.day));
        a.visa_key = c->id.visa_key;
        a.allowed_days = c->visa != NULL ? c->visa->stay_days : 0;
        a.por = c->por;
        a.regular = c->p->movement.category == SARHAD_MOVE_REGULAR;
        a.citizen = c->citizen;
        a.no_open_stay = !c->id.stay_open;
        a.returns_tallied = true; /* staged with the other summaries */
        return sarhad__admit_effects(store, c->ledger->memo, &a, err);
    }
    if (d->outcome != SARHAD_REFER)
        return SARHAD_OK;
    st = sarhad__store_prepare(store, sql_referral_put, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, c->attempt_id);
    sqlite3_bind_text(st, 2, store->post, -1, SQLITE_STATIC);
    s = sarhad__store_step_done(store, st, "open a referral", err);
    if (s != SARHAD_OK)
        return s;
    st = sarhad__store_prepare(store, sql_referral_open, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, c->attempt_id);
    return sarhad__store_step_done(store, st, "queue a referral", err);
}

/* The next id of a table: remembered within a batch, else read. */
static enum sarhad_status
next_id(struct sarhad_store *store, const int64_t *remembered, const char *sql,
        int64_t *out, struct sarhad_error *err)
{
    if (store->in_batch && *remembered > 0) {
        *out = *remembered;
        return SARHAD_OK;
    }
    return sarhad__store_read_int(store, sql, "number the records", out, err);
}

/* Step 1: who it is, what the ledger knows of them, the decision.  Reads
 * only. */
static enum sarhad_status
decide(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    struct sarhad_history history;
    struct sarhad_screening screening;
    const struct sarhad_screening *screened = NULL;
    enum sarhad_status s;

    s = sarhad__identity_find(store, c->ledger->memo, c->p, &c->id, err);
    if (s == SARHAD_OK && c->citizen) {
        history.known = true;
        history.visa_entries_used = 0;
        history.stay_count = 0;
    } else if (s == SARHAD_OK) {
        s = sarhad__history_load(store, c->ledger->memo, &c->id, &history, err);
    }
    if (s == SARHAD_OK && c->prep != NULL &&
        sarhad__screening_current(c->ledger, &c->prep->screening)) {
        screened = &c->prep->screening;
    } else if (s == SARHAD_OK && c->ledger->screen != NULL) {
        memset(&screening, 0, sizeof(screening));
        s = c->ledger->screen(c->ledger->screen_ctx, c->p, &screening, err);
        screened = &screening;
    }
    if (s == SARHAD_OK)
        s = sarhad_policy_decide(c->d, c->ledger->policy, c->p, &history,
                                 screened, err);
    if (s == SARHAD_OK)
        s = history_flags(c, &history, err);
    return s;
}

/* Step 2: everything the rows need, made before the first is written. */
static enum sarhad_status
prepare(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    int64_t traveller = 0;
    const struct sarhad__key *conflict;
    enum sarhad_status s;
    size_t need;

    s = next_id(store, &store->next_attempt, sql_next_attempt, &c->attempt_id,
                err);
    if (s == SARHAD_OK && c->id.key_count > 0 && c->id.traveller_id == 0)
        s = next_id(store, &store->next_traveller, sql_next_traveller,
                    &traveller, err);
    if (s != SARHAD_OK)
        return s;
    if (sarhad__identity_plan(&c->id, traveller))
        add_flag(c->d, "identity_linked",
                 "a new passport was linked to a known traveller");
    conflict = sarhad__identity_conflict(&c->id);
    if (conflict != NULL) {
        char detail[160];
        snprintf(detail, sizeof(detail),
                 "the %s presented is on record for another traveller; "
                 "not merged, see the traveller's history",
                 document_words(conflict->kind));
        add_flag(c->d, "identity_conflict", detail);
    }
    /* Written once into a buffer that is nearly always big enough. */
    sarhad__buf_reset(c->dec);
    if (sarhad__buf_reserve(c->dec, 4096)) {
        need = sarhad_decision_json(c->dec->data, c->dec->cap, c->d);
        if (need >= c->dec->cap && sarhad__buf_reserve(c->dec, need))
            sarhad_decision_json(c->dec->data, c->dec->cap, c->d);
        c->dec->len = need;
    }
    if (c->prep == NULL) {
        struct sarhad__buf *pres = &c->ledger->pres;
        sarhad__buf_reset(pres);
        sarhad__buf_reserve(pres, 2048); /* failure shows in pres.failed */
        sarhad__presentation_json(pres, c->p);
    }
    if (!c->dec->failed && !c->pres->failed)
        audit_detail(c);
    if (c->dec->failed || c->pres->failed || c->detail->failed)
        return sarhad__fail(err, SARHAD_ENOMEM, "attempt", SIZE_MAX, NULL);
    return stage_tallies(c, err);
}

/* Step 3: the rows.  A failure here is the store's. */
static enum sarhad_status
write_rows(struct crossing *c, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;
    enum sarhad_status s;
    int64_t seq;

    s = sarhad__identity_record(store, c->ledger->memo, c->p, &c->id,
                                c->attempt_id, err);
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, c->who, c->now, "decision", c->subject,
                                 c->detail->data, &seq, err);
    if (s == SARHAD_OK)
        s = put_attempt(c, seq, err);
    if (s == SARHAD_OK)
        s = put_visa(c, err);
    if (s == SARHAD_OK && c->p->direction == SARHAD_EXIT)
        s = put_movement(c, err);
    if (s == SARHAD_OK)
        s = record_outcome(c, err);
    for (unsigned i = 0; s == SARHAD_OK && !c->batch && i < c->tallies.n; i++)
        s = sarhad__tally_write(store, &c->tallies.t[i], err);
    return s;
}

/* Set up *c for one crossing of p, its decision to go to *d. */
static void
crossing_init(struct crossing *c, struct sarhad_ledger *ledger,
              const struct sarhad_presentation *p,
              const struct sarhad_prepared *prep,
              const struct sarhad_actor *who, int64_t now,
              struct sarhad_decision *d)
{
    memset(c, 0, sizeof(*c));
    memset(d, 0, sizeof(*d));
    c->ledger = ledger;
    c->p = p;
    c->prep = prep;
    c->who = who;
    c->now = now;
    c->d = d;
    c->visa = find_visa(p);
    c->pres = prep != NULL ? &prep->text : &ledger->pres;
    c->dec = &ledger->dec;
    c->detail = &ledger->detail;
    sarhad_date_format(c->day, p->time.date);
    sarhad__por_number(c->por, p);
    c->citizen = strcmp(p->traveller.nationality, ledger->citizen) == 0;
    c->batch = ledger->store->in_batch;
}

/* End the write the crossing began, whose steps returned s: roll back on a
 * failure, commit when alone; inside a batch the item stands, so the batch
 * takes over its next ids and tallies and commits later. */
static enum sarhad_status
end_write(struct crossing *c, enum sarhad_status s, struct sarhad_error *err)
{
    struct sarhad_store *store = c->ledger->store;

    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    if (!c->batch)
        return sarhad__store_write_end(store, true, err);
    store->next_attempt = c->attempt_id + 1;
    if (c->id.fresh)
        store->next_traveller = c->id.traveller_id + 1;
    for (unsigned i = 0; i < c->tallies.n; i++)
        sarhad__store_tally(store, &c->tallies.t[i]);
    return SARHAD_OK;
}

static enum sarhad_status
cross(struct sarhad_ledger *ledger, const struct sarhad_presentation *p,
      const struct sarhad_prepared *prep, const struct sarhad_actor *who,
      int64_t now, struct sarhad_decision *out, int64_t *attempt_id,
      struct sarhad_error *err)
{
    struct sarhad_decision d;
    struct crossing c;
    struct sarhad_store *store;
    enum sarhad_status s;

    if (ledger == NULL || p == NULL || who == NULL || out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "cross", SIZE_MAX,
                            "ledger, presentation, actor and output are "
                            "required");
    if (p->time.date.year == 0)
        return sarhad__fail(err, SARHAD_EINVAL, "time", SIZE_MAX,
                            "the presentation has no time");
    store = ledger->store;
    crossing_init(&c, ledger, p, prep, who, now, &d);
    s = c.batch ? sarhad__store_tally_room(store, SARHAD__ITEM_TALLIES, err)
                : SARHAD_OK;
    if (s == SARHAD_OK)
        s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    sarhad__memo_sync(ledger->memo, store);
    s = decide(&c, err);
    if (s == SARHAD_OK)
        s = prepare(&c, err);
    if (s == SARHAD_OK)
        s = write_rows(&c, err);
    s = end_write(&c, s, err);
    if (s != SARHAD_OK) {
        sarhad__buf_reset(c.dec); /* no decision to show */
        return s;
    }
    *out = d;
    if (attempt_id != NULL)
        *attempt_id = c.attempt_id;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_cross(struct sarhad_ledger *ledger,
                    const struct sarhad_presentation *p,
                    const struct sarhad_actor *who, int64_t now,
                    struct sarhad_decision *out, int64_t *attempt_id,
                    struct sarhad_error *err)
{
    return cross(ledger, p, NULL, who, now, out, attempt_id, err);
}

enum sarhad_status
sarhad_ledger_cross_prepared(struct sarhad_ledger *ledger,
                             const struct sarhad_prepared *prep,
                             const struct sarhad_actor *who, int64_t now,
                             struct sarhad_decision *out, int64_t *attempt_id,
                             struct sarhad_error *err)
{
    if (prep == NULL || prep->p == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "cross", SIZE_MAX,
                            "the crossing was not prepared");
    return cross(ledger, prep->p, prep, who, now, out, attempt_id, err);
}

const char *
sarhad_ledger_decision_text(const struct sarhad_ledger *ledger, size_t *len)
{
    *len = ledger->dec.data != NULL ? ledger->dec.len : 0;
    return *len > 0 ? ledger->dec.data : "";
}

enum sarhad_status
sarhad_ledger_history(struct sarhad_ledger *ledger,
                      const struct sarhad_presentation *p,
                      struct sarhad_history *out, int64_t *traveller_id,
                      struct sarhad_error *err)
{
    struct sarhad__identity id;
    enum sarhad_status s;

    if (ledger == NULL || p == NULL || out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "history", SIZE_MAX,
                            "ledger, presentation and output are required");
    s = sarhad__identity_find(ledger->store, NULL, p, &id, err);
    memset(out, 0, sizeof(*out));
    if (s == SARHAD_OK)
        s = sarhad__history_load(ledger->store, NULL, &id, out, err);
    if (s == SARHAD_OK && traveller_id != NULL)
        *traveller_id = id.traveller_id;
    return s;
}
