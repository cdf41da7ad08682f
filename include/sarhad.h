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

/*
 * Names.  A name of the region arrives in Latin letters, in Arabic script
 * (Pashto, Dari, Urdu, Arabic) or from an MRZ ('<' fillers, ICAO X-escapes
 * such as XKH, XSH).  Normalising it gives lowercase ASCII tokens with
 * titles (Mullah, Haji, ...) and connectors (bin, ibn, s/o) left out and
 * particles joined (Abd al-Rahman -> abdrahman, Hikmat Ullah -> hikmatulah),
 * each with a folded spelling (variants of vowels, doubled letters, q/k,
 * w/v, th/s, ... meet) and a consonant skeleton key that also meets the
 * vowel-less transliteration of Arabic script.
 */
#define SARHAD_NAME_MAX_LEN    256 /* bytes of UTF-8 accepted */
#define SARHAD_NAME_MAX_TOKENS 12  /* further tokens are ignored */

enum sarhad_script {
    SARHAD_SCRIPT_NONE = 0, /* no letters */
    SARHAD_SCRIPT_LATIN,
    SARHAD_SCRIPT_ARABIC, /* Arabic script: Arabic, Pashto, Dari, Urdu */
    SARHAD_SCRIPT_MIXED,
    SARHAD_SCRIPT_OTHER
};

struct sarhad_name_token {
    char text[32];   /* lowercase ASCII after transliteration and joining */
    char folded[32]; /* spelling variants folded together */
    char key[24];    /* consonant skeleton of folded (may be "") */
};

struct sarhad_name {
    enum sarhad_script script;
    bool from_mrz;                   /* read as an MRZ name field */
    bool vowelless;                  /* transliterated from Arabic script */
    char latin[SARHAD_NAME_MAX_LEN]; /* whole name, lowercase ASCII */
    unsigned token_count;
    struct sarhad_name_token tokens[SARHAD_NAME_MAX_TOKENS];
    char removed[96]; /* titles and connectors left out, space-separated */
};

/*
 * Normalise len bytes of UTF-8.  Text made only of A-Z, digits, spaces and
 * at least one '<' is read as an MRZ name field.  Allocates nothing that
 * outlives the call; safe from several threads.  SARHAD_ETOOBIG over
 * SARHAD_NAME_MAX_LEN bytes, SARHAD_EFORMAT for invalid UTF-8 or control
 * characters (err->offset is the byte), SARHAD_EINVAL for NULL arguments.
 * A name without letters gives token_count 0 and SARHAD_OK.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_name_normalize(struct sarhad_name *out, const char *text, size_t len,
                      struct sarhad_error *err);

/* "none", "latin", "arabic", "mixed", "other". */
const char *sarhad_script_name(enum sarhad_script script);

/*
 * Decode an MRZ name field (len bytes of A-Z and '<'): fillers become
 * spaces, "SURNAME<<GIVEN" becomes "GIVEN SURNAME", and the ICAO 9303-3
 * Arabic X-escapes are undone (XKH -> KH, XSH -> SH, XTH -> TH, ...).
 * Writes a NUL-terminated string of at most cap bytes; SARHAD_ETOOBIG when
 * it does not fit, SARHAD_EFORMAT for other characters.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_name_from_mrz(char *out, size_t cap, const char *text, size_t len,
                     struct sarhad_error *err);

/*
 * Watchlists.  An import is a new list version; the newest is current.
 * CSV columns: id,name,aliases,birth_date,nationality,father_name (header
 * required; aliases separated by ';'; birth dates YYYY-MM-DD, YYYY or
 * YYYY..YYYY, several separated by ';', a leading '~' or "circa " marks an
 * approximate one; nationalities ICAO codes or country names separated by
 * ';').  The UN consolidated list XML is also read (individuals only).
 */
#define SARHAD_WL_MAX_INPUT   (64u * 1024 * 1024) /* bytes per import */
#define SARHAD_WL_MAX_ENTRIES 2000000
#define SARHAD_WL_MAX_NAMES   32 /* primary name + aliases + original */
#define SARHAD_WL_NAME_LEN    256
#define SARHAD_WL_MAX_BIRTHS  12
#define SARHAD_WL_MAX_NATS    6

enum sarhad_wl_format { SARHAD_WL_AUTO = 0, SARHAD_WL_CSV, SARHAD_WL_UN_XML };

/* A birth date as listed: from == to for an exact day; a year is its Jan
 * 1 - Dec 31; a range its years; approximate for "circa". */
struct sarhad_birth {
    struct sarhad_date from;
    struct sarhad_date to;
    bool approximate;
};

struct sarhad_watchlist_entry {
    char id[32];
    char sex;            /* 'M', 'F' or 0 when not listed */
    unsigned name_count; /* names[0] is the primary name; no repeats */
    char names[SARHAD_WL_MAX_NAMES][SARHAD_WL_NAME_LEN];
    unsigned alias_count; /* aliases the source listed (repeats counted) */
    unsigned birth_count;
    struct sarhad_birth births[SARHAD_WL_MAX_BIRTHS];
    unsigned nationality_count;
    char nationalities[SARHAD_WL_MAX_NATS][4]; /* ICAO codes */
    char father_name[SARHAD_WL_NAME_LEN];
};

struct sarhad_watchlist_version {
    char label[24];    /* "v1", "v2", ...: what a screening records */
    char source[96];   /* the name the importer was given */
    char format[8];    /* "csv" or "un-xml" */
    char imported[24]; /* UTC, RFC 3339 */
    unsigned entry_count;
    unsigned name_count;
    bool is_current;
};

/*
 * Parse len bytes of a list (format AUTO tells the UN XML from CSV by its
 * first element) and store it as a new version named by source (a file
 * name, for the record).  All or nothing: a malformed row fails the whole
 * import with err->line and err->col at the fault (CSV) or err->line and
 * the field (XML).  *out (may be NULL) describes the new version.
 * SARHAD_EFORMAT, SARHAD_ETOOBIG (over SARHAD_WL_MAX_INPUT, too many
 * entries or names), SARHAD_EPERM (read-only store), SARHAD_EDB, SARHAD_EIO.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_watchlist_import(
    struct sarhad_store *store, const char *data, size_t len,
    enum sarhad_wl_format format, const char *source,
    struct sarhad_watchlist_version *out, struct sarhad_error *err);

/*
 * Parse without storing: call fn for each entry in order (fn returns
 * nonzero to stop, which makes the call return SARHAD_OK early).  Errors
 * as for sarhad_watchlist_import.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_watchlist_parse(
    const char *data, size_t len, enum sarhad_wl_format format,
    int (*fn)(void *ctx, const struct sarhad_watchlist_entry *entry), void *ctx,
    struct sarhad_error *err);

/* The versions, newest first: up to cap into out, *count set to how many
 * exist.  SARHAD_EDB on store failure. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_watchlist_versions(struct sarhad_store *store,
                          struct sarhad_watchlist_version *out, size_t cap,
                          size_t *count, struct sarhad_error *err);

/*
 * Call fn for each entry of a version (label, or NULL for the current one),
 * in import order.  SARHAD_ENOTFOUND when there is no such version.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_watchlist_entries(
    struct sarhad_store *store, const char *label,
    int (*fn)(void *ctx, const struct sarhad_watchlist_entry *entry), void *ctx,
    struct sarhad_error *err);

/*
 * Screening.  A screener is an in-memory index of one list version; it is
 * read-only once built, so any number of threads may query it at once.
 */
#define SARHAD_SCREEN_DEFAULT_THRESHOLD 70 /* until the policy sets one */
#define SARHAD_EXPLAIN_MAX              8

struct sarhad_screener;

/* What is known of the person screened; all but name may be empty. */
struct sarhad_screen_query {
    const char *name;
    struct sarhad_date birth_date; /* year 0: not given */
    int birth_year;                /* when only the year is known, or 0 */
    const char *nationality;       /* ICAO code or country name, or NULL */
    const char *father_name;       /* or NULL */
    char sex;                      /* 'M', 'F' or 0 */
};

/*
 * Build a screener of the store's current list version (an empty one when
 * nothing was imported; its list_version is then "").  The caller owns *out
 * and frees it with sarhad_screener_close.  SARHAD_ENOMEM, SARHAD_EDB.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_open(struct sarhad_screener **out, struct sarhad_store *store,
                     struct sarhad_error *err);

/*
 * Build a screener without a store: new, add each entry, then finish
 * (which builds the index; only then may it be queried).  version is the
 * label screenings will carry.  SARHAD_ENOMEM, SARHAD_EINVAL (add after
 * finish, too many entries), SARHAD_EFORMAT (a name not valid UTF-8).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_new(struct sarhad_screener **out, const char *version,
                    struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_add(struct sarhad_screener *s,
                    const struct sarhad_watchlist_entry *entry,
                    struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_finish(struct sarhad_screener *s, struct sarhad_error *err);

/* Free a screener; NULL is fine. */
void sarhad_screener_close(struct sarhad_screener *s);

/* The list version the screener was built from ("" when none). */
const char *sarhad_screener_version(const struct sarhad_screener *s);

struct sarhad_screener_stats {
    size_t entries;
    size_t names;
    size_t tokens;
    size_t keys;      /* distinct skeleton keys */
    size_t pair_keys; /* distinct token-pair keys of the index */
    size_t bytes;     /* memory held */
};
void sarhad_screener_stats(const struct sarhad_screener *s,
                           struct sarhad_screener_stats *out);

/*
 * Screen one person: out gets the list version, screened = true, and the
 * entries scoring at or above threshold (0-100), best first, at most
 * SARHAD_MAX_HITS, each with a why that says which names matched and which
 * evidence counted.  Thread-safe.  SARHAD_EINVAL (no name, threshold out of
 * range), errors of sarhad_name_normalize.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_query(const struct sarhad_screener *s,
                      const struct sarhad_screen_query *query, int threshold,
                      struct sarhad_screening *out, struct sarhad_error *err);

/* One listed token matched to one query token, and why. */
struct sarhad_token_match {
    char query[32];
    char listed[32];
    int similarity; /* 0-100 */
    char why[40];   /* "same spelling", "same consonants", "1 edit", ... */
};

/* One piece of evidence and what it did to the score. */
struct sarhad_evidence {
    char what[16]; /* "birth_date", "nationality", "father_name", "sex",
                      "none" */
    int points;    /* added to the name score (negative lowers it) */
    char detail[112];
};

struct sarhad_candidate {
    struct sarhad_hit hit; /* entry id, primary name, final score, why */
    char matched_name[SARHAD_WL_NAME_LEN]; /* the listed name that matched */
    int name_score;                        /* 0-100, before evidence */
    bool above_threshold;
    unsigned match_count;
    struct sarhad_token_match matches[SARHAD_NAME_MAX_TOKENS];
    char unmatched[96]; /* tokens on either side left unmatched */
    unsigned evidence_count;
    struct sarhad_evidence evidence[5];
};

struct sarhad_explanation {
    struct sarhad_name query; /* the query as normalised */
    char list_version[24];
    int threshold;
    size_t scored;            /* candidates the index handed to the scorer */
    unsigned candidate_count; /* best first, above threshold or not */
    struct sarhad_candidate candidates[SARHAD_EXPLAIN_MAX];
};

/*
 * Screen one person and explain: the best SARHAD_EXPLAIN_MAX candidates
 * (including those under threshold) with every token alignment and every
 * piece of evidence.  *out is large (about 40 KiB): allocate it.
 * Thread-safe.  Errors as for sarhad_screener_query.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_screener_explain(
    const struct sarhad_screener *s, const struct sarhad_screen_query *query,
    int threshold, struct sarhad_explanation *out, struct sarhad_error *err);

/*
 * Parse a birth date as a query or list gives it: "YYYY-MM-DD", "YYYY",
 * "YYYY..YYYY", optionally led by "~" or "circa " (approximate).
 * SARHAD_EFORMAT with err->offset at the fault.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_birth_parse(struct sarhad_birth *out, const char *text, size_t len,
                   struct sarhad_error *err);

/* Write b as sarhad_birth_parse reads it ("~1966", "1965..1968",
 * "1975-03-14") into out (cap bytes, NUL-terminated); returns the length. */
size_t sarhad_birth_format(char *out, size_t cap, const struct sarhad_birth *b);

/* Write to out the ICAO code of a nationality given as a code or a
 * country name ("Afghanistan" -> "AFG"); false when it is unknown. */
bool sarhad_nationality_code(char out[4], const char *text, size_t len);

/* ===== accounts, sessions and audit (src/auth.c, src/audit.c) ===== */

#ifdef __cplusplus
}
#endif

#endif /* SARHAD_H */
