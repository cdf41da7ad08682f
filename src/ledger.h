/*
 * ledger.h - private declarations shared by the ledger's files: the ledger
 * object, the growable text buffer its JSON is written into, identity keys,
 * and the recording steps that ledger.c strings together into one
 * transaction.
 */
#ifndef SARHAD_LEDGER_H
#define SARHAD_LEDGER_H

#include "internal.h"

#include <sodium.h>
#include <stdatomic.h>

extern const char *const sarhad__ledger_steps[];
extern const size_t sarhad__ledger_step_count;

/* ---- text buffers (ledger_json.c) ---- */

/* A growable NUL-terminated buffer; a failed growth makes it sticky-bad so
 * a whole JSON document can be written and checked once at the end. */
struct sarhad__buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
};

void sarhad__buf_reset(struct sarhad__buf *b);
/* Make room for more bytes and a NUL; false (and sticky) on failure. */
bool sarhad__buf_reserve(struct sarhad__buf *b, size_t more);
void sarhad__buf_free(struct sarhad__buf *b);
void sarhad__buf_add(struct sarhad__buf *b, const char *s, size_t len);
void sarhad__buf_puts(struct sarhad__buf *b, const char *s);
void sarhad__buf_printf(struct sarhad__buf *b, const char *fmt, ...)
    SARHAD_PRINTF(2, 3);
/* A decimal integer (what the per-crossing paths use instead of printf). */
void sarhad__buf_int(struct sarhad__buf *b, int64_t v);
/* s as a JSON string with quotes; NULL writes null. */
void sarhad__buf_json_str(struct sarhad__buf *b, const char *s);
/* A date as a JSON string, or null for no date. */
void sarhad__buf_json_date(struct sarhad__buf *b, struct sarhad_date d);

struct sarhad_ledger {
    struct sarhad_store *store;
    struct sarhad_policy *policy;
    int policy_number; /* the publication in force */
    /* Citizens of the operating state (store_meta "citizens", "PAK" by
     * default) live there: they have no stays and use no visa entries. */
    char citizen[4];
    sarhad_screen_fn screen;
    void *screen_ctx;
    /* The lowest score screening carries: the lower of the policy's
     * threshold and SARHAD_SCREEN_DEFAULT_THRESHOLD.  Atomic because other
     * threads screen (sarhad_ledger_screen) while the writer may publish
     * a new policy. */
    _Atomic int screen_floor;
    const struct sarhad_screener *screener; /* sarhad_ledger_set_screener */
    struct sarhad__memo *memo; /* what the writer remembers; NULL: none */
    /* The texts of the crossing being recorded, kept between crossings so
     * their memory is reused: the presentation and decision as stored in
     * the attempt row, and the audit entry's detail. */
    struct sarhad__buf pres, dec, detail;
};

/* A presentation made ready off the recording thread (ledger_prepare.c):
 * its screening, its text as the attempt records it, and the audit hash
 * started over that text.  The hash state is kept as bytes because
 * libsodium's state type asks for an alignment malloc does not give. */
struct sarhad_prepared {
    const struct sarhad_presentation *p; /* NULL until prepared */
    struct sarhad_screening screening;
    struct sarhad__buf text;
    unsigned char hash[sizeof(crypto_generichash_state)]; /* text + "\n" */
};

/* Start the audit hash of a crossing: BLAKE2b over the presentation text
 * and a newline (the decision text follows; ledger_cross.c). */
void sarhad__crossing_hash_start(crypto_generichash_state *h,
                                 const struct sarhad__buf *text);

/* Screen p as the recording would (ledger_screen.c), floor fixed now. */
enum sarhad_status sarhad__ledger_screen(const struct sarhad_ledger *ledger,
                                         const struct sarhad_presentation *p,
                                         struct sarhad_screening *out,
                                         struct sarhad_error *err);

/* The presentation as JSON (DESIGN.md shape, plus "movement" on exits). */
void sarhad__presentation_json(struct sarhad__buf *b,
                               const struct sarhad_presentation *p);

/* ---- the writer's memo of its store (ledger_memo.c) ---- */

/* Namespaces of the memo's facts and the two numbers each holds. */
#define SARHAD__MEMO_KEY                                                       \
    'k'                       /* identity key: traveller id (0: nobody),       \
                                 first attempt */
#define SARHAD__MEMO_VISA 'v' /* visa key: recorded (0/1), entries used */
#define SARHAD__MEMO_POR  'p' /* PoR number: cancelled (0/1), unused */

/* A traveller's stays as sarhad__history_load reads them (not lost, most
 * recent last, at most SARHAD_MAX_STAYS). */
struct sarhad__memo_stays {
    unsigned count;
    bool window_full; /* the store may hold older stays than these */
    bool stale;       /* no longer what the store would give: read again */
    struct sarhad_stay stays[SARHAD_MAX_STAYS];
};

struct sarhad__memo;
/* NULL when out of memory (the ledger then works without one). */
struct sarhad__memo *sarhad__memo_new(void);
void sarhad__memo_free(struct sarhad__memo *m);
void sarhad__memo_clear(struct sarhad__memo *m);
/* Empty the memo unless it was filled in the store's current generation. */
void sarhad__memo_sync(struct sarhad__memo *m,
                       const struct sarhad_store *store);
/* Every function below accepts m == NULL (no memo: nothing known). */
bool sarhad__memo_get(const struct sarhad__memo *m, char ns, const char *key,
                      int64_t v[2]);
void sarhad__memo_put(struct sarhad__memo *m, char ns, const char *key,
                      const int64_t v[2]);
/* The traveller's stays, NULL when not remembered. */
struct sarhad__memo_stays *sarhad__memo_stays(const struct sarhad__memo *m,
                                              int64_t traveller_id);
/* Remember the stays just read from the store (n as read, LIMIT
 * SARHAD_MAX_STAYS). */
void sarhad__memo_stays_put(struct sarhad__memo *m, int64_t traveller_id,
                            const struct sarhad_stay *stays, unsigned n);
/* Mirror an admitted entry (a still-open stay is lost) and exit. */
void sarhad__memo_stay_open(struct sarhad__memo_stays *s,
                            struct sarhad_date day, int allowed_days);
void sarhad__memo_stay_close(struct sarhad__memo_stays *s,
                             struct sarhad_date day);

/* Set ledger->screen_floor from its current policy (ledger_screen.c). */
void sarhad__ledger_screen_floor(struct sarhad_ledger *ledger);
/* Does a screening made earlier (sarhad_ledger_screen) still stand: the
 * same floor and, when the ledger holds a screener, the same list? */
bool sarhad__screening_current(const struct sarhad_ledger *ledger,
                               const struct sarhad_screening *s);

/* ---- identity (ledger_identity.c) ---- */

#define SARHAD__MAX_KEYS 8

/* One identity key of a presentation: kind "passport", "cnic", "tazkira",
 * "por", "acc" or "nbd" (name + birth date + nationality). */
struct sarhad__key {
    const char *kind;
    char value[128];
    int64_t traveller_id; /* who holds it in the ledger, 0 when nobody */
    int64_t first_attempt;
};

struct sarhad__identity {
    unsigned key_count;
    struct sarhad__key keys[SARHAD__MAX_KEYS];
    int64_t traveller_id; /* 0: not known yet (or anonymous) */
    unsigned matched;     /* index of the key that found the traveller */
    char surname[40];
    char given_names[40];
    char visa_key[80]; /* "" when no visa */
    /* Set by sarhad__history_load: the visa is already recorded; the
     * traveller has an open stay (the most recent one). */
    bool visa_known;
    bool stay_open;
    /* Set by sarhad__identity_plan: traveller_id was just given to someone
     * seen for the first time, whose row is yet to be written. */
    bool fresh;
};

/* Derive the keys of p and look each up.  Reads only. */
/* A key's value as held: letters and digits only, upper-cased. */
void sarhad__key_normalise(char *out, size_t cap, const char *in);

enum sarhad_status sarhad__identity_find(struct sarhad_store *store,
                                         struct sarhad__memo *memo,
                                         const struct sarhad_presentation *p,
                                         struct sarhad__identity *id,
                                         struct sarhad_error *err);

/*
 * Before anything is written: a traveller seen for the first time (no key
 * held by anyone) is given next_traveller as id and marked fresh.  Returns
 * true when a new passport is about to be tied to a known traveller.
 */
bool sarhad__identity_plan(struct sarhad__identity *id, int64_t next_traveller);

/*
 * The first document key of id held by a traveller other than the one it
 * names (a document on record for someone else, which
 * sarhad__identity_record keeps apart as a conflict), or NULL.  The name
 * and birth date key is left out: namesakes born the same day (often a
 * 1 January of convenience) are common, not a sign of anything.
 */
const struct sarhad__key *
sarhad__identity_conflict(const struct sarhad__identity *id);

/*
 * Write what the plan decided: a fresh traveller's row, every key of the
 * presentation not yet held by anyone, and for a known traveller a link
 * saying why each new key is theirs (a key held by someone else is a
 * "conflict" link, never moved).
 */
enum sarhad_status sarhad__identity_record(struct sarhad_store *store,
                                           struct sarhad__memo *memo,
                                           const struct sarhad_presentation *p,
                                           const struct sarhad__identity *id,
                                           int64_t attempt_id,
                                           struct sarhad_error *err);

/* ---- recording (ledger_record.c) ---- */

enum sarhad_status sarhad__history_load(struct sarhad_store *store,
                                        struct sarhad__memo *memo,
                                        struct sarhad__identity *id,
                                        struct sarhad_history *out,
                                        struct sarhad_error *err);

/* The normalised PoR card number of p, "" when it shows none. */
void sarhad__por_number(char out[32], const struct sarhad_presentation *p);

/* Is the PoR card number of p already cancelled by a return? */
enum sarhad_status sarhad__por_is_cancelled(struct sarhad_store *store,
                                            struct sarhad__memo *memo,
                                            const struct sarhad_presentation *p,
                                            bool *cancelled,
                                            struct sarhad_error *err);

/* What an attempt's admission changes: stays, visa use, returns, PoR. */
struct sarhad__admit {
    int64_t attempt_id;
    int64_t traveller_id;
    const char *post;
    const char *crossing;
    const char *nationality;
    enum sarhad_direction direction;
    char day[11];
    const char *visa_key; /* "" when none */
    int allowed_days;
    bool citizen;         /* no stay, no visa use */
    bool no_open_stay;    /* known from the history: nothing to mark lost */
    const char *por;      /* exits: the PoR number shown, "" none, NULL: read it
                             back from the recorded attempt */
    bool regular;         /* with por given: a regular exit, which keeps the
                             card */
    bool returns_tallied; /* the caller counts the returns summaries */
};

/* The summary increments of one crossing in a batch, handed to the store
 * (sarhad__store_tally) once the crossing is recorded. */
/* Room for the most a crossing or an override stages: two daily rows, a
 * refusal's reasons and a purpose, or an admitted exit's daily row, its
 * two returns rows, a row for each of six vulnerabilities, its household,
 * its arrest and its purpose (12). */
#define SARHAD__ITEM_TALLIES (5 + SARHAD_MAX_REASONS)
_Static_assert(SARHAD__ITEM_TALLIES >= 12, "room for an admitted exit");
struct sarhad__item_tallies {
    unsigned n;
    struct sarhad__tally t[SARHAD__ITEM_TALLIES];
};

/* Stage the daily, refusal and returns increments (ledger_record.c);
 * outside a batch they are written with sarhad__tally_write. */
enum sarhad_status sarhad__tally_daily(struct sarhad__item_tallies *it,
                                       const char *const key[6], int delta,
                                       struct sarhad_error *err);
enum sarhad_status sarhad__tally_refusal(struct sarhad__item_tallies *it,
                                         const char *const key[5], int delta,
                                         struct sarhad_error *err);
/* Count the household of the exit attempt_id (if it names one) delta more
 * members on its day at its crossing, moving the families with it. */
enum sarhad_status sarhad__household_count(struct sarhad_store *store,
                                           int64_t attempt_id, const char *day,
                                           const char *post,
                                           const char *crossing, int delta,
                                           struct sarhad_error *err);
/* An admitted crossing's purpose and intended stay (key: day, post,
 * crossing, direction), delta more or fewer. */
enum sarhad_status sarhad__tally_purpose(struct sarhad__item_tallies *it,
                                         const char *const key[4],
                                         const char *purpose,
                                         const char *intended_stay, int delta,
                                         struct sarhad_error *err);
/*
 * The arrests and detentions (the flash updates' "by province and status"):
 * an exit counts among them when it is a deportation or names where or
 * when its traveller was arrested.  Its movement row (named m in the SQL
 * below) keeps the province ('' when not stated) and the days held from the
 * arrest to the exit (NULL when the arrest is not dated).
 */
bool sarhad__detained(const struct sarhad_movement_info *m);
/* The days from the arrest to the crossing's day, -1 when not dated. */
int sarhad__days_held(const struct sarhad_presentation *p);
#define SARHAD__DETAINED                                                       \
    "(m.category = 'deportation' OR m.arrest_province != ''"                   \
    " OR m.days_held IS NOT NULL)"
#define SARHAD__ARREST_PROVINCE                                                \
    "coalesce(nullif(m.arrest_province, ''), 'not stated')"

enum sarhad_status sarhad__tally_returns(struct sarhad__item_tallies *it,
                                         const char *day, const char *post,
                                         const char *crossing,
                                         const struct sarhad_presentation *p,
                                         struct sarhad_error *err);

enum sarhad_status sarhad__admit_effects(struct sarhad_store *store,
                                         struct sarhad__memo *memo,
                                         const struct sarhad__admit *a,
                                         struct sarhad_error *err);

/* What a later event (a resolution, an override) needs of a recorded
 * attempt. */
struct sarhad__recorded {
    char day[11];
    char post[16];
    char crossing[16];
    char direction[8];
    char nationality[4];
    char decision[8];
    char visa_key[80];
    char purpose[32];       /* the traveller's, "" when not stated */
    char intended_stay[16]; /* an exit's, "" when not stated */
    int64_t traveller_id;
    int allowed_days;
    bool referred; /* it has a referral case */
    bool resolved; /* it has a resolution or an override */
    bool latest;   /* no later attempt of its traveller is recorded */
};

/* Load attempt_id's facts; SARHAD_ENOTFOUND when there is no such one. */
enum sarhad_status sarhad__recorded_load(struct sarhad_store *store,
                                         int64_t attempt_id,
                                         struct sarhad__recorded *r,
                                         struct sarhad_error *err);

/* The admission of a recorded attempt, as a direct admit would make it. */
void sarhad__recorded_admit(const struct sarhad_ledger *ledger,
                            const struct sarhad__recorded *r,
                            int64_t attempt_id, struct sarhad__admit *a);

/* Give a recorded attempt a supervisor's outcome in one transaction:
 * check who, the outcome and its written reason ("only a supervisor may
 * WHAT"), then apply, which records it with its audit entry and effects. */
typedef enum sarhad_status (*sarhad__outcome_in_fn)(
    struct sarhad_ledger *ledger, int64_t attempt_id,
    enum sarhad_outcome outcome, const char *reason,
    const struct sarhad_actor *who, int64_t now, int64_t *seq,
    struct sarhad_error *err);
enum sarhad_status
sarhad__supervisor_apply(struct sarhad_ledger *ledger, int64_t attempt_id,
                         enum sarhad_outcome outcome, const char *reason,
                         const struct sarhad_actor *who, int64_t now,
                         int64_t *seq, const char *what,
                         sarhad__outcome_in_fn apply, struct sarhad_error *err);

/* Record a supervisor's outcome for an attempt (a referral's resolution,
 * kind "resolution", or an override of a decision, kind "override") with
 * its audit entry, in the caller's transaction; *seq gets the entry's. */
enum sarhad_status sarhad__record_resolution(
    struct sarhad_store *store, int64_t attempt_id, const char *decision,
    const char *reason, const struct sarhad_actor *who, int64_t now,
    const char *kind, int64_t *seq, struct sarhad_error *err);

/* The documentation status of an exit (returns reporting). */
const char *sarhad__documentation(const struct sarhad_presentation *p);
/* The IOM age band of someone born on birth at day ("unknown" without). */
const char *sarhad__age_band(struct sarhad_date birth, struct sarhad_date day);

/* The status of an sarhad__store_prepare failure: what it set in err, and
 * never SARHAD_OK, so a caller's out-parameters are never taken as read. */
#define SARHAD__PREP_FAIL(err)                                                 \
    ((err) != NULL && (err)->code != SARHAD_OK ? (err)->code : SARHAD_EDB)

/* Text of a column, "" for NULL. */
const char *sarhad__col_text(sqlite3_stmt *st, int col);

/* sarhad_ledger_policy_publish for a publication that came in a bundle
 * (origin, recorded by the bundle gate), or a local one (origin NULL). */
enum sarhad_status sarhad__ledger_policy_publish(
    struct sarhad_ledger *ledger, const char *filename, const char *text,
    size_t len, const struct sarhad_actor *who, int64_t now,
    const struct sarhad_bundle_info *origin, struct sarhad_policy_info *info,
    struct sarhad_lint_issue *issues, unsigned issue_cap, unsigned *issue_count,
    struct sarhad_error *err);

#endif /* SARHAD_LEDGER_H */
