/*
 * screen.h - the screener's in-memory layout, shared by the index
 * (src/screen.c) and the scorer (src/screen_score.c).
 */
#ifndef SARHAD_SCREEN_H
#define SARHAD_SCREEN_H

#include "names.h"

#define SCR_FOLDED 24

/* One token of a listed name: its skeleton key and folded spelling. */
struct scr_token {
    uint32_t key;
    uint32_t spell; /* id of the folded spelling */
    uint8_t common; /* a name so common it says little (Muhammad, Khan) */
    uint8_t flen;   /* strlen(folded) */
    char folded[SCR_FOLDED];
    char text[SCR_FOLDED]; /* as written after joining, for explanations */
};

struct scr_name {
    uint32_t entry;
    uint32_t tok_start;
    uint32_t text_off; /* the name as listed, in the string arena */
    uint8_t tok_count;
    uint8_t vowelless;
};

struct scr_entry {
    uint32_t id_off;
    uint32_t name_start; /* first of its names */
    uint32_t birth_start;
    uint32_t father; /* name index of the father's name, or UINT32_MAX */
    uint16_t name_count;
    uint8_t birth_count;
    uint8_t nat_count;
    char nats[SARHAD_WL_MAX_NATS][4];
    char sex;
};

/* Interned short strings: ids, counts of use, an open-addressing table. */
struct scr_dict {
    char (*items)[24];
    uint32_t *df;
    size_t count, cap;
    uint32_t *table; /* id + 1, 0 = empty */
    size_t table_cap;
};

/* Token similarities already computed for a query: (query token, listed
 * spelling) -> similarity and reason, direct-mapped. */
#define SCR_CACHE 16384
struct scr_cache {
    uint32_t tag[SCR_CACHE]; /* spell * 16 + token + 1, 0 = empty */
    uint8_t sim[SCR_CACHE];
    uint8_t why[SCR_CACHE];
};

struct scr_posting {
    uint64_t key;
    uint32_t start;
    uint32_t count;
};

/*
 * What the upper bound reads of a listed name, stored with each of the
 * name's pair-index postings: bounding a candidate then reads its posting
 * in order instead of visiting the name and its tokens (two cache misses
 * a candidate on a list of a million).  A name of more tokens than fit,
 * or of spellings numbered past 16 bits, has tok_count 0 and is visited.
 */
#define SCR_SIG_SPELLS 5
enum {
    SCR_SIG_VOWELLESS = 1,
    SCR_SIG_BIRTH = 2,  /* the entry lists a birth date */
    SCR_SIG_NAT = 4,    /* the entry lists a nationality */
    SCR_SIG_FATHER = 8, /* the entry has a father's name */
    SCR_SIG_MALE = 16,
    SCR_SIG_FEMALE = 32,
};
struct scr_sig {
    uint32_t name;
    uint8_t tok_count;
    uint8_t flags;
    uint16_t spell[SCR_SIG_SPELLS];
};

struct sarhad_screener {
    char version[24];
    bool finished;
    /* entries, names, tokens, births and strings */
    struct scr_entry *entries;
    size_t entry_count, entry_cap;
    struct scr_name *names;
    size_t name_count, name_cap;
    struct scr_token *tokens;
    size_t token_count, token_cap;
    struct sarhad_birth *births;
    size_t birth_count, birth_cap;
    char *strings;
    size_t strings_len, strings_cap;
    /* the dictionaries of skeleton keys and of folded spellings */
    struct scr_dict keys;
    struct scr_dict spells;
    /* deletion neighbours: (hash of key or key with one letter deleted,
     * key id), sorted by hash */
    uint64_t *dels;
    size_t del_count;
    uint32_t *del_dir; /* starts by the hash's top bits (make_dir) */
    unsigned del_dir_bits;
    /* keys that meet once h is dropped and digraphs are read as their
     * first letter (Mohmand and Momand, a broken kh): (hash of that
     * coarse key << 32 | key id), sorted */
    uint64_t *coarse;
    size_t coarse_count;
    uint32_t *coarse_dir;
    unsigned coarse_dir_bits;
    /* every listed spelling and its one-letter deletions: (hash << 32 |
     * spelling id), sorted; the spellings of each key (key_spells from
     * key_spell_start[k] to key_spell_start[k + 1]) */
    uint64_t *spell_dels;
    size_t spell_del_count;
    uint32_t *spell_dir; /* starts by the hash's top bits (make_dir) */
    unsigned spell_dir_bits;
    uint32_t *key_spell_start;
    uint32_t *key_spells;
    /* pair index: token-pair keys -> names (with what the bound reads);
     * single index: key -> names, the same way */
    struct scr_posting *pairs;
    size_t pair_count;
    struct scr_sig *pair_sigs;
    struct scr_posting *singles;
    size_t single_count;
    struct scr_sig *single_sigs;
    size_t single_records;
    size_t pair_records; /* building: (key, name) records */
    /* for the upper bound: each token's spelling id (as tokens), and
     * each spelling's length and commonness */
    uint32_t *tok_spell;
    uint8_t *spell_len;
    uint8_t *spell_common;
    uint32_t *spell_letters; /* sarhad__screen_letters of each spelling */
    uint32_t *spell_key;     /* key id of each spelling */
    /* Written forms: the distinct texts (as written, before folding) of
     * the tokens of names not transliterated from Arabic script, each
     * with its length and letters; the forms of each spelling
     * (spell_texts from spell_text_start[sp] to spell_text_start[sp +
     * 1]); and every form of WRITTEN_MIN - 1 letters or more and its
     * one-letter deletions from WRITTEN_MIN letters on, as (hash << 32 |
     * spelling id), sorted (see sarhad__screen_written), with a directory
     * by the hash's top text_dir_bits bits. */
    struct scr_dict texts;
    uint8_t *text_len;
    uint32_t *text_letters;
    uint32_t *spell_text_start;
    uint32_t *spell_texts;
    uint64_t *text_dels;
    size_t text_del_count;
    uint32_t *text_dir;
    unsigned text_dir_bits;
};

/* A slip in the writing may pair two names whose longer written form has
 * at least WRITTEN_MIN letters. */
#define WRITTEN_MIN 5

/* What the upper bound knows of one listed spelling for a query: its
 * similarity to each query token, the best of them, and which two query
 * tokens it could be written joined with. */
struct scr_bound_entry {
    uint8_t done; /* 0: not yet computed */
    uint8_t best;
    uint8_t len;     /* of the spelling */
    uint8_t weight;  /* 1 for a common name element, else 2 */
    uint32_t joined; /* bit p: query tokens p of join_pairs (screen_score.c) */
    uint32_t letters_noh; /* the spelling's letters less h */
    uint8_t sim[SARHAD_NAME_MAX_TOKENS];
};

/* A query as the scorer needs it. */
struct scr_query {
    struct sarhad_name name;
    uint32_t keys[SARHAD_NAME_MAX_TOKENS];   /* key ids, UINT32_MAX unknown */
    uint32_t spells[SARHAD_NAME_MAX_TOKENS]; /* spelling ids, or UINT32_MAX */
    bool common[SARHAD_NAME_MAX_TOKENS];
    struct scr_cache *cache; /* NULL: no caching */
    /* For sarhad__screen_bound: [vowelless][listed spelling], filled as
     * spellings are met; NULL when not bounding. */
    struct scr_bound_entry *bound;
    unsigned short qlen[SARHAD_NAME_MAX_TOKENS]; /* folded lengths */
    unsigned short qlen_min, qlen_max;
    unsigned weight; /* of its tokens: 1 a common element, else 2 */
    uint32_t letters[SARHAD_NAME_MAX_TOKENS];    /* sarhad__screen_letters */
    uint32_t tletters[SARHAD_NAME_MAX_TOKENS];   /* the same of the texts */
    unsigned short tlen[SARHAD_NAME_MAX_TOKENS]; /* written lengths */
    bool has_father;
    struct sarhad_name father;
    char nat[4];
    struct sarhad_date dob;
    int birth_year;
    char sex;
};

/* Look a string up in a dictionary: its id or UINT32_MAX. */
uint32_t sarhad__screen_dict_find(const struct scr_dict *d, const char *str);

/* Is a folded token one of the region's most common name elements? */
bool sarhad__screen_is_common(const char *key, const char *folded);

/* Score one candidate name of an entry against the query, with evidence,
 * and return the final score; when c is not NULL fill it fully (name
 * score, matches, evidence, why). */
int sarhad__screen_score(const struct sarhad_screener *s,
                         const struct scr_query *q, uint32_t name_index,
                         struct sarhad_candidate *c);

/* The similarity the scorer gives a word (folded, key; text as written,
 * or NULL when it has no written form to compare) against listed
 * spelling sp, in Latin or, the larger, as Arabic script is compared:
 * the best over the spelling's written forms. */
int sarhad__screen_spell_sim(const struct sarhad_screener *s, const char *text,
                             const char *folded, const char *key, uint32_t sp);

/* The similarity a slip in the writing gives two written forms (lengths
 * and letter sets given): 0 unless they are one letter apart and the
 * longer has WRITTEN_MIN letters; *why (unless NULL) gets the reason. */
int sarhad__screen_written(const char *a, size_t la, uint32_t ma, const char *b,
                           size_t lb, uint32_t mb, const char **why);

/* The set of letters in a string, one bit each (case folded). */
uint32_t sarhad__screen_letters(const char *a);

/* The coarse form of a key or a folded spelling into out[cap]: h dropped
 * and the digraph letters (K for kh, S for sh, C for ch) read as their
 * first letter, doubles once; returns its length.  A typo or an OCR slip
 * that breaks a digraph ("Kahn", "Akrhel") or an h that comes and goes
 * ("Mohmand", "Momand") moves a key two edits but leaves its coarse form
 * as it was. */
size_t sarhad__screen_coarse(char *out, size_t cap, const char *key);

/* Set up q->bound and q->letters for sarhad__screen_bound; the caller
 * frees q->bound with sarhad__free.  false: no memory. */
bool sarhad__screen_bound_init(const struct sarhad_screener *s,
                               struct scr_query *q);

/* A ceiling on sarhad__screen_score for a listed name, from the best
 * similarity of each token and the most the entry's evidence could add
 * (q->bound must be set). */
int sarhad__screen_bound(const struct sarhad_screener *s,
                         const struct scr_query *q, uint32_t name_index);

/* The same ceiling from a posting's copy of what it reads of the name,
 * never under sarhad__screen_bound's: the entry is not visited, so a
 * listed nationality counts as the query's. */
int sarhad__screen_bound_sig(const struct sarhad_screener *s,
                             const struct scr_query *q,
                             const struct scr_sig *g);

/* The query as the scorer needs it (checks as sarhad_screener_query). */
enum sarhad_status sarhad__screen_prepare(const struct sarhad_screener *s,
                                          const struct sarhad_screen_query *in,
                                          int threshold, struct scr_query *q,
                                          struct sarhad_error *err);

/* The names the index hands the scorer for a query: sorted, unique, in a
 * heap array the caller frees with sarhad__free.  false: no memory. */
bool sarhad__screen_candidates(const struct sarhad_screener *s,
                               const struct sarhad_name *q, uint32_t **out,
                               size_t *count);

/* Words the name was written in, the titles and connectors left out not
 * counted: more than its tokens when the normaliser joined a compound. */
unsigned sarhad__screen_written_words(const struct sarhad_name *n);

/* The name score alone (0-100) of two normalised names. */
int sarhad__screen_name_score(const struct sarhad_name *a,
                              const struct sarhad_name *b);

/*
 * The optimal-string-alignment (restricted Damerau-Levenshtein) distance
 * of two strings: insertions, deletions, substitutions and transpositions
 * of neighbours.  Strings over 32 bytes get the longer length, which is
 * more than any edit threshold the screener uses.  (screen_score.c)
 */
size_t sarhad__osa_distance(const char *a, const char *b);

#endif /* SARHAD_SCREEN_H */
