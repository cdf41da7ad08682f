/*
 * sarhad.h - the one public header of libsarhad, the border-crossing and
 * travel-document control library.
 *
 * Conventions used by every function below:
 *   - Every fallible call returns enum sarhad_status; 0 (SARHAD_OK) is success.
 *   - The last argument is a caller-owned struct sarhad_error *err, which may
 *     be NULL.  Filling it never allocates.  Messages never hold traveller
 *     data, so they are safe to log.
 *   - Results are value structs with fixed-size arrays (copyable, never
 *     freed) unless a function says it allocates.
 *   - Heap objects come in _new/_free pairs, stores in _open/_close pairs, and
 *     caller-provided structs in _init/_cleanup pairs; _free(NULL) and
 *     _close(NULL) do nothing.
 *   - A failed call leaves its objects unchanged.
 *   - A refusal or a watchlist hit is an answer, not an error.
 */
#ifndef SARHAD_H
#define SARHAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SARHAD_MUST_CHECK __attribute__((warn_unused_result))
#else
#define SARHAD_MUST_CHECK
#endif

#define SARHAD_VERSION "0.1.0"

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------- */

/* The status codes and their texts come from one list so they cannot drift. */
#define SARHAD_STATUS_MAP(X)                                                   \
    X(OK, "success")                                                           \
    X(EINVAL, "invalid argument")                                              \
    X(EFORMAT, "malformed input")                                              \
    X(ECHECK, "check digit mismatch")                                          \
    X(ENOMEM, "out of memory")                                                 \
    X(ETOOBIG, "input too large")                                              \
    X(EIO, "input/output error")                                               \
    X(EDB, "database error")                                                   \
    X(EBUSY, "store is in use by another process")                             \
    X(ENOTFOUND, "not found")                                                  \
    X(EEXIST, "already exists")                                                \
    X(EPERM, "permission denied")                                              \
    X(EAUTH, "authentication failed")                                          \
    X(ESIGN, "signature invalid")                                              \
    X(ETAMPER, "audit chain broken")

enum sarhad_status {
#define SARHAD__STATUS_ENUM(name, text) SARHAD_##name,
    SARHAD_STATUS_MAP(SARHAD__STATUS_ENUM)
#undef SARHAD__STATUS_ENUM
        SARHAD_STATUS_COUNT
};

/*
 * Where and why a call failed.  offset is the byte in the input (SIZE_MAX
 * when not about input); line and col are 1-based (0 when unknown); field
 * names the part of the input at fault ("document_number_check",
 * "rules[3].when", "") and message says what was expected, for operators.
 */
struct sarhad_error {
    enum sarhad_status code;
    size_t offset;
    unsigned line;
    unsigned col;
    char field[32];
    char message[160];
};

/* The text for a status; never NULL (unknown codes get "unknown status"). */
const char *sarhad_strerror(enum sarhad_status code);

/* Reset *err to SARHAD_OK with no location.  err may be NULL. */
void sarhad_error_clear(struct sarhad_error *err);

/* ---------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------- */

/*
 * The library allocates through these hooks so that tests can fail any
 * allocation.  realloc_fn(NULL, n) must behave as malloc and free_fn(NULL)
 * must do nothing.  Passing NULL restores the C library's functions.  Not
 * thread-safe: set it before any other call.
 */
struct sarhad_allocator {
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
};
void sarhad_set_allocator(const struct sarhad_allocator *allocator);

/* Overwrite len bytes at p with zeros in a way the compiler cannot elide. */
void sarhad_wipe(void *p, size_t len);

/* ===== dates (src/date.c) ===== */

/*
 * A civil (proleptic Gregorian) date.  year == 0 means "no date"; a struct
 * sarhad_date that is not zero is always a real calendar date.
 */
struct sarhad_date {
    int16_t year;
    uint8_t month; /* 1-12 */
    uint8_t day;   /* 1-31 */
};

/* A local date and time as written at a post, with its UTC offset. */
struct sarhad_time {
    struct sarhad_date date; /* local date */
    int32_t seconds;         /* local seconds since midnight, 0-86399 */
    int16_t utc_offset_min;  /* e.g. +300 for Pakistan (UTC+05:00) */
};

/* True when year/month/day name a real date (31 Feb and month 13 do not). */
bool sarhad_date_is_valid(int year, int month, int day);

/* Days since 1970-01-01 (negative before); d must be a real date. */
int32_t sarhad_date_to_days(struct sarhad_date d);

/* The date days after 1970-01-01. */
struct sarhad_date sarhad_date_from_days(int32_t days);

/* a - b in days (a, b real dates). */
int32_t sarhad_date_diff(struct sarhad_date a, struct sarhad_date b);

/* <0, 0, >0 as a is before, equal to or after b ("no date" sorts first). */
int sarhad_date_cmp(struct sarhad_date a, struct sarhad_date b);

/* The date n days after d (n may be negative). */
struct sarhad_date sarhad_date_add_days(struct sarhad_date d, int32_t n);

/*
 * Parse exactly "YYYY-MM-DD" (len bytes).  SARHAD_EFORMAT when the shape is
 * wrong or the date does not exist; err->offset is the faulty byte.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_date_parse(struct sarhad_date *out, const char *text, size_t len,
                  struct sarhad_error *err);

/* Write "YYYY-MM-DD" and a NUL into out; "" for no date. Returns length. */
size_t sarhad_date_format(char out[11], struct sarhad_date d);

/*
 * Parse an RFC 3339 local time "YYYY-MM-DDTHH:MM[:SS][.frac](Z|+HH:MM|-HH:MM)"
 * keeping the local date (the law applies by the post's calendar day).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_time_parse(struct sarhad_time *out, const char *text, size_t len,
                  struct sarhad_error *err);

/* Seconds since the Unix epoch (UTC) of t. */
int64_t sarhad_time_to_unix(const struct sarhad_time *t);

/* t as RFC 3339 with its offset, e.g. "2023-11-05T09:30:00+05:00". */
size_t sarhad_time_format(char out[26], const struct sarhad_time *t);

/* The local time at utc_offset_min of the Unix time unix_seconds. */
struct sarhad_time sarhad_time_from_unix(int64_t unix_seconds,
                                         int utc_offset_min);

/* ===== MRZ (src/mrz.c) ===== */

/* ICAO Doc 9303 machine-readable zone formats. */
enum sarhad_mrz_format {
    SARHAD_MRZ_UNKNOWN = 0,
    SARHAD_MRZ_TD1,  /* ID-1 card, 3 lines of 30 */
    SARHAD_MRZ_TD2,  /* ID-2 card, 2 lines of 36 */
    SARHAD_MRZ_TD3,  /* passport, 2 lines of 44 */
    SARHAD_MRZ_MRVA, /* visa A, 2 lines of 44 */
    SARHAD_MRZ_MRVB  /* visa B, 2 lines of 36 */
};

#define SARHAD_MRZ_MAX_ISSUES 12

/*
 * One problem found in an MRZ.  field is the contract name of the field or
 * check ("document_number_check", "birth_date", "line", ...), code a stable
 * machine code ("check_digit", "impossible_date", "bad_character",
 * "bad_length", ...), line and col 1-based (0 when not about one place).
 */
struct sarhad_mrz_issue {
    char field[24];
    char code[24];
    char message[96];
    uint8_t line;
    uint8_t col;
};

/*
 * What an MRZ says.  Names have '<' turned into spaces and are trimmed;
 * numbers and codes keep their characters without filler.  A date that is
 * impossible (month 13, 31 Feb) is left as "no date" (year 0) and reported
 * as an issue.  valid is true when there are no issues at all.
 */
struct sarhad_mrz {
    enum sarhad_mrz_format format;
    bool valid;
    char document_code[3];
    char issuing_state[4];
    char surname[40];
    char given_names[40];
    char document_number[32]; /* TD1 long numbers joined from the spill */
    char nationality[4];
    struct sarhad_date birth_date;
    char sex; /* 'M', 'F' or 'X' (unspecified, '<' in the MRZ) */
    struct sarhad_date expiry_date;
    char optional_data[32];
    char optional_data_2[32];
    unsigned issue_count;
    struct sarhad_mrz_issue issues[SARHAD_MRZ_MAX_ISSUES];
    /* When a check digit failed and exactly one OCR-confusion repair makes
     * every check pass: that reading, lines joined by '\n'.  Never applied. */
    bool has_suggestion;
    char suggestion[96];
};

/*
 * Read one MRZ of len bytes: its lines separated by "\n" or "\r\n", with
 * trailing spaces and one trailing newline tolerated.  Allocates nothing.
 *
 * Returns SARHAD_OK when the text has the shape of an MRZ (a known line
 * count and length and only A-Z 0-9 '<'); then *out holds every field, and
 * out->valid says whether every check passed, with out->issues listing each
 * failed check digit and impossible date.  Returns SARHAD_EFORMAT when the
 * text is not an MRZ at all; *out then holds format UNKNOWN and the issue,
 * and err says where (line, col, offset) and why.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_mrz_parse(struct sarhad_mrz *out,
                                                      const char *text,
                                                      size_t len,
                                                      struct sarhad_error *err);

/*
 * Build the MRZ of fields (the format, names, numbers and dates in *fields;
 * check digits, issues and suggestion are ignored and computed).  Names
 * are truncated by the ICAO 9303-3 rule when too long.  Writes the lines
 * joined by '\n' and NUL-terminated to out (cap bytes; 3 * 31 is enough).
 * SARHAD_EINVAL names the field that cannot be written (bad characters,
 * too long a number).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_mrz_format(char *out, size_t cap, const struct sarhad_mrz *fields,
                  struct sarhad_error *err);

/* The ICAO 9303 check digit of len characters (7-3-1 weights), or -1 when
 * a character is outside A-Z 0-9 '<'. */
int sarhad_mrz_check_digit(const char *s, size_t len);

/* "TD1", "TD2", "TD3", "MRVA", "MRVB", or NULL for UNKNOWN. */
const char *sarhad_mrz_format_name(enum sarhad_mrz_format format);

/* ===== national ID numbers (src/ids.c) ===== */

/* ===== presentations and the rule language (src/presentation.c,
 * src/policy_*.c) ===== */

/*
 * A presentation is what a traveller brings to a counter (DESIGN.md); a
 * decision is what the policy says about it.  These structs are the contract
 * between the presentation reader, the policy engine, the ledger, the
 * screening and the server.
 */
#define SARHAD_MAX_DOCUMENTS 8
#define SARHAD_MAX_REASONS   8
#define SARHAD_MAX_FLAGS     8
#define SARHAD_MAX_HITS      5
#define SARHAD_MAX_STAYS     32

enum sarhad_direction { SARHAD_ENTRY = 0, SARHAD_EXIT = 1 };

#define SARHAD_DOC_KIND_MAP(X)                                                 \
    X(PASSPORT, "passport")                                                    \
    X(VISA, "visa")                                                            \
    X(CNIC, "cnic")                                                            \
    X(TAZKIRA, "tazkira")                                                      \
    X(POR, "por")                                                              \
    X(ACC, "acc")                                                              \
    X(RAHDARI, "rahdari")                                                      \
    X(MEDICAL_LETTER, "medical_letter")                                        \
    X(CANCER_CARD, "cancer_card")                                              \
    X(EXIT_PERMIT, "exit_permit")                                              \
    X(TOKEN, "token")

enum sarhad_doc_kind {
#define SARHAD__DOC_ENUM(name, text) SARHAD_DOC_##name,
    SARHAD_DOC_KIND_MAP(SARHAD__DOC_ENUM)
#undef SARHAD__DOC_ENUM
        SARHAD_DOC_KIND_COUNT
};

enum sarhad_visa_entries {
    SARHAD_ENTRIES_NONE = 0, /* not a visa, or not stated */
    SARHAD_ENTRIES_SINGLE,
    SARHAD_ENTRIES_DOUBLE,
    SARHAD_ENTRIES_MULTIPLE
};

/* One document as read: MRZ documents carry mrz, others what is printed. */
struct sarhad_document {
    enum sarhad_doc_kind kind;
    bool has_mrz;
    struct sarhad_mrz mrz; /* passport, visa, e-tazkira */
    char number[32];
    struct sarhad_date issued;
    struct sarhad_date expiry;
    char district[48];
    char tribe[32];
    char issuer[32];
    /* visas */
    char category[16]; /* visit, family, business, work, study, medical, ... */
    enum sarhad_visa_entries entries;
    int stay_days; /* per visit; 0 when not stated */
};

/* What the officer establishes about the traveller. */
struct sarhad_traveller {
    char nationality[4]; /* ICAO code: AFG, PAK, ... */
    char sex;            /* 'M', 'F', 'X' or 0 when not stated */
    struct sarhad_date birth_date;
    char residence[48]; /* district */
    char tribe[32];
    char occupation[32];
    char purpose[32];
    char father_name[64];
};

/* Movement categories of exits (returns reporting, DOMAIN.md 6). */
enum sarhad_movement {
    SARHAD_MOVE_REGULAR = 0,
    SARHAD_MOVE_SPONTANEOUS_RETURN,
    SARHAD_MOVE_ASSISTED_RETURN, /* assisted voluntary repatriation */
    SARHAD_MOVE_DEPORTATION
};

/* Vulnerabilities counted by IOM DTM flow monitoring (bit flags). */
enum sarhad_vulnerability {
    SARHAD_VULN_UNACCOMPANIED_CHILD = 1 << 0,
    SARHAD_VULN_MEDICAL = 1 << 1,
    SARHAD_VULN_SINGLE_WOMAN = 1 << 2,
    SARHAD_VULN_ELDERLY = 1 << 3,
    SARHAD_VULN_DISABLED = 1 << 4,
    SARHAD_VULN_SPECIFIC_NEEDS = 1 << 5
};

/* Optional details an officer records on an exit (the "movement" block). */
struct sarhad_movement_info {
    enum sarhad_movement category;
    char household[32]; /* groups family members crossing together */
    int household_size; /* 0 when not stated */
    unsigned vulnerabilities;
    int vehicles;
    char intended_stay[16]; /* e.g. "permanent", "days", "months" */
};

struct sarhad_presentation {
    char crossing[16]; /* TORKHAM, CHAMAN, ... */
    enum sarhad_direction direction;
    struct sarhad_time time;
    char counter[16];
    struct sarhad_traveller traveller;
    struct sarhad_movement_info movement;
    unsigned document_count;
    struct sarhad_document documents[SARHAD_MAX_DOCUMENTS];
};

/*
 * What the ledger knows about the traveller before this presentation; the
 * evaluator stays pure by taking it as input.  stays lists past and open
 * stays (most recent last); visa_entries_used counts entries already made on
 * the presented visa.
 */
struct sarhad_stay {
    struct sarhad_date entry;
    struct sarhad_date exit; /* no date (year 0) while the stay is open */
    int allowed_days;        /* from the visa or the rule; 0 when unknown */
};
struct sarhad_history {
    bool known; /* false: no ledger consulted */
    unsigned visa_entries_used;
    unsigned stay_count;
    struct sarhad_stay stays[SARHAD_MAX_STAYS];
};

/* A watchlist hit as the decision carries it: never a bare "match". */
struct sarhad_hit {
    char list_version[24];
    char entry_id[32];
    char name[96];
    int score; /* 0-100 */
    char why[256];
};
struct sarhad_screening {
    bool screened;
    char list_version[24];
    unsigned hit_count;
    struct sarhad_hit hits[SARHAD_MAX_HITS];
};

enum sarhad_outcome { SARHAD_ADMIT = 0, SARHAD_REFUSE, SARHAD_REFER };

struct sarhad_reason {
    char code[32];     /* stable: "visa_expired", "mrz_check_failed", ... */
    char message[160]; /* what the officer reads out */
};
struct sarhad_flag {
    char code[32]; /* "overstay", "mrz_check_failed", "watchlist_hit", ... */
    char detail[128];
};

struct sarhad_decision {
    enum sarhad_outcome outcome;
    char zone[24]; /* "" or the area an admit is limited to */
    char rule[48]; /* id of the deciding rule */
    char policy_name[48];
    int policy_version;
    int overstay_days; /* 0 when none */
    int fine_usd;      /* from the policy's fine table; 0 when none */
    unsigned reason_count;
    struct sarhad_reason reasons[SARHAD_MAX_REASONS];
    unsigned flag_count;
    struct sarhad_flag flags[SARHAD_MAX_FLAGS];
    unsigned hit_count;
    struct sarhad_hit hits[SARHAD_MAX_HITS];
};

/* "admit", "refuse", "refer". */
const char *sarhad_outcome_name(enum sarhad_outcome outcome);
/* "passport", ... as in SARHAD_DOC_KIND_MAP; "unknown" out of range. */
const char *sarhad_doc_kind_name(enum sarhad_doc_kind kind);

/* ===== the post's store (src/store.c) ===== */

/*
 * A post keeps everything in one SQLite file (WAL): the ledger, the
 * watchlists, accounts and the audit log.  Each component's tables are
 * created and upgraded by its own numbered migrations when the store opens.
 * One process writes a store at a time; a second writer gets SARHAD_EBUSY.
 */
struct sarhad_store;

struct sarhad_store_options {
    bool create;             /* create the file when missing */
    bool read_only;          /* never write (reports, verify, audit read) */
    const char *synchronous; /* "FULL" (NULL), "EXTRA", "NORMAL" or "OFF" */
};

/*
 * Open (or create) the store at path and bring every component's schema up
 * to date.  opt may be NULL (read-write, must exist, synchronous FULL).
 * SARHAD_EBUSY when another process holds it for writing, SARHAD_EIO when
 * it cannot be read or written, SARHAD_EDB when it is not a sarhad store or
 * is corrupt.  The caller owns *out and closes it with sarhad_store_close.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_open(struct sarhad_store **out, const char *path,
                  const struct sarhad_store_options *opt,
                  struct sarhad_error *err);

/* Close the store; pending transactions are rolled back.  NULL is fine. */
void sarhad_store_close(struct sarhad_store *store);

/*
 * Group several writes into one durable transaction: begin, any number of
 * recording calls, then commit (one fsync for the group) or rollback.
 * Recording calls outside begin/commit run in a transaction of their own.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_begin(struct sarhad_store *store, struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_commit(struct sarhad_store *store, struct sarhad_error *err);
void sarhad_store_rollback(struct sarhad_store *store);

/* ===== ledger (src/ledger*.c) ===== */

/* ===== names and watchlist screening (src/names.c, src/screen*.c) ===== */

/* ===== accounts, sessions and audit (src/auth.c, src/audit.c) ===== */

/*
 * Who did something, from where.  Every state change in a store is an
 * event in one append-only, hash-chained log (the audit log): decisions,
 * resolutions, overrides, policy publications, user changes, logins.  The
 * ledger's tables are views kept in step with it, in the same transaction.
 */
struct sarhad_actor {
    char user[32];    /* "" for the system itself (e.g. sarhad init) */
    char role[16];    /* officer, supervisor, analyst, admin, auditor */
    char post[16];    /* the post the actor belongs to, "" for national */
    char address[48]; /* client address, "" on the command line */
};

/* One entry of the audit log as read back; detail points into storage that
 * is valid only during the callback that receives it. */
struct sarhad_audit_entry {
    int64_t seq;   /* 1, 2, 3, ... with no gaps */
    char post[16]; /* the post whose log this is */
    char at[26];   /* UTC time of recording, RFC 3339 */
    struct sarhad_actor actor;
    char kind[24];      /* "decision", "resolution", "login_failed", ... */
    char subject[64];   /* what it is about: an attempt id, a user name, ... */
    const char *detail; /* JSON object text */
    unsigned char hash[32];
};

/*
 * Call fn for each entry with seq >= from_seq, in order, at most limit
 * entries (0: no limit).  fn returns false to stop early.  Reads only.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_read(struct sarhad_store *store, int64_t from_seq, size_t limit,
                  bool (*fn)(void *ctx, const struct sarhad_audit_entry *e),
                  void *ctx, struct sarhad_error *err);

/* The outcome of checking the chain. */
struct sarhad_audit_report {
    bool ok;
    int64_t checked;   /* entries that were checked and found sound */
    int64_t first_bad; /* seq of the first bad entry (0 when ok) */
    char problem[160]; /* what is wrong with it: edited, missing, ... */
};

/*
 * Check the whole chain: each entry's hash over its content and its
 * predecessor's hash, and seq numbers without gaps.  An edited, deleted,
 * inserted or reordered entry breaks it; the report names the first bad
 * entry.  Returns SARHAD_OK with report->ok false for a broken chain (that
 * is a finding, not a failure); errors are for an unreadable store.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_verify(struct sarhad_store *store,
                    struct sarhad_audit_report *report,
                    struct sarhad_error *err);

/* ---- audit checkpoints (src/audit_sign.c) ---- */

/*
 * The post signs checkpoints of its audit chain with an ed25519 key kept in
 * a file beside the store (PATH.key, mode 0600, made at first use); the
 * public key is recorded in the store.  A checkpoint commits to the hash of
 * the entry at its seq, so deleting the last entries of the log (which the
 * chain alone cannot notice) leaves a signed checkpoint pointing past the
 * end, and verify names the first missing entry.
 */
struct sarhad_audit_key;

/*
 * Load the signing key of the store at store_path from store_path + ".key",
 * creating it (0600) when missing and create is true.  SARHAD_EIO when the
 * file cannot be read or written or is readable by others, SARHAD_EFORMAT
 * when it is not a key.  The caller frees *out with sarhad_audit_key_free,
 * which wipes it.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_key_load(struct sarhad_audit_key **out, const char *store_path,
                      bool create, struct sarhad_error *err);
void sarhad_audit_key_free(struct sarhad_audit_key *key);

/*
 * Sign a checkpoint of the chain's current head (inside the caller's batch
 * when one is open, so it commits with the entries it covers).  Does
 * nothing when the head is already checkpointed.  The first checkpoint
 * records the key's public half in the store; a key whose public half
 * differs from the recorded one is SARHAD_ESIGN.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_checkpoint(struct sarhad_store *store,
                        const struct sarhad_audit_key *key, int64_t now,
                        struct sarhad_error *err);

/*
 * sarhad_audit_verify, then every checkpoint: its signature under the
 * store's recorded public key, and that the entry it names exists and has
 * the hash it signed.  A truncated tail, a forged or edited checkpoint or a
 * missing public key with checkpoints present make report->ok false with
 * first_bad naming the first entry at fault.  *checkpoints (may be NULL)
 * receives the number of checkpoints found sound.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_verify_signed(struct sarhad_store *store,
                           struct sarhad_audit_report *report,
                           int64_t *checkpoints, struct sarhad_error *err);

/* ---- accounts and sessions (src/auth.c) ---- */

/*
 * Roles (DESIGN.md).  Officers and supervisors belong to a post and act
 * only there; the others may be national (post "").
 */
#define SARHAD_ROLE_MAP(X)                                                     \
    X(OFFICER, "officer")                                                      \
    X(SUPERVISOR, "supervisor")                                                \
    X(ANALYST, "analyst")                                                      \
    X(ADMIN, "admin")                                                          \
    X(AUDITOR, "auditor")

/* True when role is one of the five role names. */
bool sarhad_role_is_valid(const char *role);
/* True for the roles that must belong to a post (officer, supervisor). */
bool sarhad_role_needs_post(const char *role);

#define SARHAD_PASSWORD_MIN_LEN 10
#define SARHAD_PASSWORD_MAX_LEN 128
#define SARHAD_PWHASH_LEN       128 /* argon2id string, NUL included */
#define SARHAD_TOKEN_LEN        64  /* hex characters of a session token */

/* An account.  Passwords are kept only as argon2id hashes. */
struct sarhad_user {
    char name[32]; /* [a-z0-9._-], 1-31 characters, starting with a letter */
    char role[16];
    char post[16]; /* [A-Z_], "" for national accounts */
    bool is_disabled;
    char created[26]; /* UTC, RFC 3339 */
};

/*
 * Hash a password (len bytes, SARHAD_PASSWORD_MIN_LEN to _MAX_LEN, no NUL)
 * with argon2id at libsodium's interactive cost into out.  Takes about a
 * tenth of a second and 64 MiB.  SARHAD_EINVAL (field "password") for a bad
 * length, SARHAD_ENOMEM when the hash cannot get its memory.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_password_hash(char out[SARHAD_PWHASH_LEN], const char *password,
                     size_t len, struct sarhad_error *err);

/*
 * Add an account (name, role, post from *user; is_disabled and created are
 * ignored) with a password hash from sarhad_password_hash, recording a
 * "user_added" audit entry by actor in the same transaction.
 * SARHAD_EINVAL names the bad field ("username", "role", "post");
 * SARHAD_EEXIST when the name is taken.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_add(struct sarhad_store *store, const struct sarhad_actor *actor,
                const struct sarhad_user *user, const char *pwhash, int64_t now,
                struct sarhad_error *err);

/* Disable an account and end its sessions ("user_disabled" audit entry).
 * Accounts are never deleted.  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_disable(struct sarhad_store *store,
                    const struct sarhad_actor *actor, const char *name,
                    int64_t now, struct sarhad_error *err);

/* Replace an account's password hash and end its sessions
 * ("password_changed" audit entry).  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_set_password(struct sarhad_store *store,
                         const struct sarhad_actor *actor, const char *name,
                         const char *pwhash, int64_t now,
                         struct sarhad_error *err);

/* Read one account.  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status sarhad_user_get(struct sarhad_store *store,
                                                     const char *name,
                                                     struct sarhad_user *out,
                                                     struct sarhad_error *err);

/* Call fn for every account in name order; fn returns false to stop. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_list(struct sarhad_store *store,
                 bool (*fn)(void *ctx, const struct sarhad_user *user),
                 void *ctx, struct sarhad_error *err);

/*
 * Login throttling and session lifetime.  After account_failures failed
 * logins for one account, or address_failures from one address, within
 * window seconds, logins for it are refused without looking at the
 * password for lockout seconds.
 */
struct sarhad_login_limits {
    unsigned account_failures; /* 5 */
    unsigned address_failures; /* 20 */
    int64_t window;            /* 900 */
    int64_t lockout;           /* 900 */
    int64_t session_lifetime;  /* 43200 (12 hours) */
};
void sarhad_login_limits_default(struct sarhad_login_limits *out);

/*
 * A login in three steps, so that a server can check the password (slow,
 * by design) away from the thread that writes the store:
 *   sarhad_login_begin   reads the account and the throttle state;
 *   sarhad_login_check   checks the password (no store access);
 *   sarhad_login_finish  records the outcome: a session and a "login" audit
 *                        entry, or the failure counted and "login_failed".
 * sarhad_login does all three on one store.
 */
struct sarhad_login {
    char username[32];
    char address[48];
    bool user_found; /* an enabled account of that name exists */
    struct sarhad_user user;
    char pwhash[SARHAD_PWHASH_LEN];
    int64_t throttled_until; /* > now: refused without a password check */
    bool password_ok;
};

/* A session: the token is shown once, at login; the store keeps a hash. */
struct sarhad_session {
    char token[SARHAD_TOKEN_LEN + 1]; /* bearer token, hex */
    char csrf[SARHAD_TOKEN_LEN + 1];  /* for cookie-authenticated writes */
    int64_t expires;                  /* Unix seconds */
    struct sarhad_actor actor;
};

/*
 * Start a login: username (at most 31 bytes, else treated as unknown) and
 * the client's address.  Reads only.  Never fails for a wrong name: *login
 * then has user_found false and the check will fail in the same time.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login_begin(struct sarhad_store *store, struct sarhad_login *login,
                   const char *username, const char *address, int64_t now,
                   const struct sarhad_login_limits *limits,
                   struct sarhad_error *err);

/* Check the password against the account (argon2id; constant work for an
 * unknown account).  Sets and returns login->password_ok.  A throttled
 * login is never checked and stays false. */
bool sarhad_login_check(struct sarhad_login *login, const char *password,
                        size_t len, int64_t now);

/*
 * Record the outcome.  On success fills *session (a new random token,
 * expiring limits->session_lifetime from now) and returns SARHAD_OK.  On
 * failure returns SARHAD_EAUTH with err->field "throttled" when the login
 * was refused for too many failures (err->message says for how long), else
 * "password" with the same message for a wrong name or password.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login_finish(struct sarhad_store *store,
                    const struct sarhad_login *login, int64_t now,
                    const struct sarhad_login_limits *limits,
                    struct sarhad_session *session, struct sarhad_error *err);

/* All three steps on one store. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login(struct sarhad_store *store, const char *username,
             const char *password, size_t len, const char *address, int64_t now,
             const struct sarhad_login_limits *limits,
             struct sarhad_session *session, struct sarhad_error *err);

/*
 * The session of a token (len bytes): fills *out (token and csrf left
 * empty) when the token is known, not expired, not ended, and its account
 * is enabled; SARHAD_EAUTH otherwise.  Reads only.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_session_lookup(struct sarhad_store *store, const char *token, size_t len,
                      int64_t now, struct sarhad_session *out,
                      struct sarhad_error *err);

/* End a session (logout), with a "logout" audit entry by actor.
 * SARHAD_EAUTH when the token names no live session. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_session_end(struct sarhad_store *store, const struct sarhad_actor *actor,
                   const char *token, size_t len, int64_t now,
                   struct sarhad_error *err);

/* The CSRF token that goes with a session token (derived, not stored). */
void sarhad_session_csrf(char out[SARHAD_TOKEN_LEN + 1], const char *token,
                         size_t len);

/* The 32-byte hash under which a token is stored (and may be cached). */
void sarhad_token_hash(unsigned char out[32], const char *token, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SARHAD_H */
