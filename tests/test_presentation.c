/*
 * test_presentation.c - the presentation reader: the DESIGN.md example
 * reads field by field, and every kind of bad input is refused with the
 * field it concerns, never read loosely.  The differential tests hold the
 * fast reader and decision writer to the reference in presentation_ref.h
 * over thousands of mutated inputs, on several threads, past the arena, and
 * with jansson's allocator replaced.
 */
#include "test.h"

#include "presentation_ref.h"

#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

#define PASSPORT_MRZ                                                           \
    "P<AFGKHAN<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\n"                          \
    "P012345673AFG9001011M3001019<<<<<<<<<<<<<<<0"
#define VISA_MRZ                                                               \
    "V<PAKKHAN<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\n"                          \
    "V1234567<3AFG9001011M2612317<<<<<<<<<<<<<<<<"

#define HEAD                                                                   \
    "{\"crossing\":\"TORKHAM\",\"direction\":\"entry\","                       \
    "\"time\":\"2023-11-05T09:30:00+05:00\","

static enum sarhad_status
parse(const char *json, struct sarhad_presentation *p, struct sarhad_error *err)
{
    sarhad_error_clear(err);
    return sarhad_presentation_parse(p, json, strlen(json), err);
}

TEST(presentation_reads_the_design_example)
{
    struct sarhad_presentation p;
    struct sarhad_error err;
    const char *json =
        HEAD "\"counter\":\"T-12\","
             "\"traveller\":{\"nationality\":\"AFG\",\"residence\":\"Spin "
             "Boldak\",\"tribe\":null,\"occupation\":\"driver\",\"sex\":\"F\","
             "\"birth_date\":\"1990-01-01\",\"purpose\":\"medical\","
             "\"father_name\":\"Gul\"},"
             "\"movement\":{\"category\":\"spontaneous_return\","
             "\"household\":\"H1\",\"household_size\":6,"
             "\"vulnerabilities\":[\"elderly\",\"medical\"],\"vehicles\":1,"
             "\"intended_stay\":\"permanent\"},"
             "\"documents\":[{\"kind\":\"passport\",\"mrz\":\"" PASSPORT_MRZ
             "\"},{\"kind\":\"visa\",\"mrz\":\"" VISA_MRZ
             "\",\"category\":\"visit\",\"entries\":\"multiple\","
             "\"stay_days\":60},"
             "{\"kind\":\"tazkira\",\"number\":\"1400-01\","
             "\"district\":\"Kandahar\"},"
             "{\"kind\":\"cnic\",\"number\":\"54201-1234567-3\"},"
             "{\"kind\":\"por\",\"number\":\"X\",\"expiry\":\"2025-06-30\","
             "\"issued\":\"2020-01-01\",\"issuer\":\"NADRA\"}]}";

    ASSERT_OK(parse(json, &p, &err));
    ASSERT_EQ_STR("TORKHAM", p.crossing);
    ASSERT_EQ_INT(SARHAD_ENTRY, p.direction);
    ASSERT_EQ_INT(2023, p.time.date.year);
    ASSERT_EQ_INT(300, p.time.utc_offset_min);
    ASSERT_EQ_STR("T-12", p.counter);
    ASSERT_EQ_STR("Spin Boldak", p.traveller.residence);
    ASSERT_EQ_STR("", p.traveller.tribe);
    ASSERT_EQ_INT('F', p.traveller.sex);
    ASSERT_EQ_STR("Gul", p.traveller.father_name);
    ASSERT_EQ_INT(SARHAD_MOVE_SPONTANEOUS_RETURN, p.movement.category);
    ASSERT_EQ_INT(6, p.movement.household_size);
    ASSERT_EQ_INT(SARHAD_VULN_ELDERLY | SARHAD_VULN_MEDICAL,
                  p.movement.vulnerabilities);
    ASSERT_EQ_INT(5, p.document_count);
    ASSERT(p.documents[0].has_mrz && p.documents[0].mrz.valid);
    ASSERT_EQ_STR("KHAN", p.documents[0].mrz.surname);
    ASSERT_EQ_STR("PAK", p.documents[1].mrz.issuing_state);
    ASSERT_EQ_INT(SARHAD_ENTRIES_MULTIPLE, p.documents[1].entries);
    ASSERT_EQ_INT(60, p.documents[1].stay_days);
    ASSERT_EQ_STR("Kandahar", p.documents[2].district);
    ASSERT_EQ_INT(SARHAD_DOC_CNIC, p.documents[3].kind);
    ASSERT_EQ_INT(2025, p.documents[4].expiry.year);
    ASSERT_EQ_STR("NADRA", p.documents[4].issuer);
}

/* json fails with status and err->field == field. */
static int
fails(const char *json, enum sarhad_status status, const char *field)
{
    struct sarhad_presentation p;
    struct sarhad_error err;
    enum sarhad_status st = parse(json, &p, &err);

    if (st != status || strcmp(err.field, field) != 0) {
        fprintf(stderr, "got %s field '%s' (%s)\n", sarhad_strerror(st),
                err.field, err.message);
        return 0;
    }
    return p.document_count == 0 && p.crossing[0] == '\0';
}

#define TRAV "\"traveller\":{\"nationality\":\"AFG\"},"
#define EXIT                                                                   \
    "{\"crossing\":\"TORKHAM\",\"direction\":\"exit\","                        \
    "\"time\":\"2023-11-05T09:30:00+05:00\","

/* Where and when a deportee was arrested: read on an exit, a day no later
 * than the crossing's (the same day is a day's detention at most). */
TEST(presentation_reads_an_arrest)
{
    struct sarhad_presentation p;
    struct sarhad_error err;

    ASSERT_OK(parse(EXIT TRAV "\"movement\":{\"category\":\"deportation\","
                              "\"arrest_province\":\"sindh\","
                              "\"arrested_on\":\"2023-10-28\"},"
                              "\"documents\":[]}",
                    &p, &err));
    ASSERT_EQ_INT(SARHAD_PROVINCE_SINDH, p.movement.arrest_province);
    ASSERT_EQ_STR("sindh", sarhad_province_name(p.movement.arrest_province));
    ASSERT_EQ_INT(2023, p.movement.arrested_on.year);
    ASSERT_EQ_INT(28, p.movement.arrested_on.day);
    ASSERT_OK(parse(EXIT TRAV "\"movement\":{\"arrested_on\":\"2023-11-05\"},"
                              "\"documents\":[]}",
                    &p, &err));
    ASSERT_EQ_INT(SARHAD_PROVINCE_NONE, p.movement.arrest_province);
    ASSERT(sarhad_province_name(SARHAD_PROVINCE_NONE) == NULL);
    ASSERT_EQ_STR("azad_kashmir",
                  sarhad_province_name(SARHAD_PROVINCE_AZAD_KASHMIR));
    ASSERT(sarhad_province_name(SARHAD_PROVINCE_AZAD_KASHMIR + 1) == NULL);
}

TEST(presentation_errors_name_the_field)
{
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"passport\",\"mrz\":"
                           "\"P<AFG\"}]}",
                 SARHAD_EFORMAT, "documents[0].mrz"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"tazkira\"},"
                           "{\"kind\":\"tazkira\",\"colour\":\"red\"}]}",
                 SARHAD_EFORMAT, "documents[1].colour"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"laissez_passer\"}]}",
                 SARHAD_EFORMAT, "documents[0].kind"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"por\","
                           "\"expiry\":\"2025-02-30\"}]}",
                 SARHAD_EFORMAT, "documents[0].expiry"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":"
                           "\"E1\",\"stay_days\":\"60\"}]}",
                 SARHAD_EFORMAT, "documents[0].stay_days"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":"
                           "\"E1\",\"entries\":\"triple\"}]}",
                 SARHAD_EFORMAT, "documents[0].entries"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"cnic\",\"number\":"
                           "\"54201-123\"}]}",
                 SARHAD_EFORMAT, "documents[0].number"));
    ASSERT(fails(HEAD TRAV
                 "\"documents\":[{\"kind\":\"visa\",\"mrz\":\"" PASSPORT_MRZ
                 "\"}]}",
                 SARHAD_EFORMAT, "documents[0].mrz"));
    ASSERT(fails(HEAD TRAV
                 "\"documents\":[{\"kind\":\"passport\",\"mrz\":\"" VISA_MRZ
                 "\"}]}",
                 SARHAD_EFORMAT, "documents[0].mrz"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{\"kind\":\"visa\"}]}",
                 SARHAD_EFORMAT, "documents[0].mrz"));
    ASSERT(fails(HEAD "\"traveller\":{\"nationality\":\"Afghan\"},"
                      "\"documents\":[]}",
                 SARHAD_ETOOBIG, "traveller.nationality"));
    ASSERT(fails(HEAD "\"traveller\":{\"nationality\":\"af1\"},"
                      "\"documents\":[]}",
                 SARHAD_EFORMAT, "traveller.nationality"));
    ASSERT(fails(HEAD "\"traveller\":{\"sex\":\"male\"},\"documents\":[]}",
                 SARHAD_EFORMAT, "traveller.sex"));
    ASSERT(fails(HEAD "\"traveller\":{\"birth_date\":19900101},"
                      "\"documents\":[]}",
                 SARHAD_EFORMAT, "traveller.birth_date"));
    ASSERT(fails(HEAD TRAV "\"movement\":{\"category\":\"flight\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.category"));
    ASSERT(fails(HEAD TRAV "\"movement\":{\"vulnerabilities\":[\"x\"]},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.vulnerabilities"));
    ASSERT(fails(EXIT TRAV "\"movement\":{\"arrest_province\":\"Sindh\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.arrest_province"));
    ASSERT(fails(EXIT TRAV "\"movement\":{\"arrested_on\":\"2023-11-06\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.arrested_on"));
    ASSERT(fails(EXIT TRAV "\"movement\":{\"arrested_on\":\"2013-11-04\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.arrested_on"));
    ASSERT(fails(EXIT TRAV "\"movement\":{\"arrested_on\":\"2023-02-30\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.arrested_on"));
    ASSERT(fails(HEAD TRAV "\"movement\":{\"arrest_province\":\"sindh\"},"
                           "\"documents\":[]}",
                 SARHAD_EFORMAT, "movement.arrest_province"));
    ASSERT(fails("{\"crossing\":\"WAGAH\",\"direction\":\"entry\","
                 "\"time\":\"2023-11-05T09:30:00+05:00\"," TRAV
                 "\"documents\":[]}",
                 SARHAD_EFORMAT, "crossing"));
    ASSERT(fails("{\"crossing\":\"TORKHAM\",\"direction\":\"in\","
                 "\"time\":\"2023-11-05T09:30:00+05:00\"," TRAV
                 "\"documents\":[]}",
                 SARHAD_EFORMAT, "direction"));
    ASSERT(fails("{\"crossing\":\"TORKHAM\",\"direction\":\"entry\","
                 "\"time\":\"2023-11-05 09:30\"," TRAV "\"documents\":[]}",
                 SARHAD_EFORMAT, "time"));
    ASSERT(fails(HEAD TRAV "\"documents\":{}}", SARHAD_EFORMAT, "documents"));
    ASSERT(fails(HEAD TRAV "\"extra\":1,\"documents\":[]}", SARHAD_EFORMAT,
                 "extra"));
    ASSERT(fails(HEAD "\"documents\":[]}", SARHAD_EFORMAT, "traveller"));
    ASSERT(fails(HEAD TRAV "\"documents\":[{},{},{},{},{},{},{},{},{}]}",
                 SARHAD_ETOOBIG, "documents"));
    ASSERT(fails("[1,2]", SARHAD_EFORMAT, ""));
}

TEST(presentation_json_syntax_errors_have_line_and_column)
{
    struct sarhad_presentation p;
    struct sarhad_error err;

    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  parse("{\"crossing\":\"TORKHAM\",\n\"crossing\":\"CHAMAN\"}",
                        &p, &err));
    ASSERT_EQ_INT(2, err.line);
    ASSERT(strstr(err.message, "duplicate") != NULL);
    ASSERT_EQ_INT(SARHAD_EFORMAT, parse("{\n  \"a\": tru }", &p, &err));
    ASSERT_EQ_INT(2, err.line);
    ASSERT(err.col > 0);
}

TEST(presentation_bad_check_digit_is_not_an_input_error)
{
    struct sarhad_presentation p;
    struct sarhad_error err;

    /* Birth date 900102 with the check digit of 900101: it reads, and the
     * policy decides what to do with a document that did not read
     * cleanly. */
    ASSERT_OK(parse(HEAD TRAV "\"documents\":[{\"kind\":\"passport\",\"mrz\":"
                              "\"P<AFGKHAN<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
                              "\\nP012345673AFG9001021M3001019<<<<<<<<<<<<<<"
                              "<0\"}]}",
                    &p, &err));
    ASSERT(p.documents[0].has_mrz);
    ASSERT(!p.documents[0].mrz.valid);
}

TEST(presentation_size_cap)
{
    struct sarhad_presentation p;
    struct sarhad_error err;
    static char big[SARHAD_PRESENTATION_MAX_LEN + 2];

    memset(big, ' ', sizeof(big) - 1);
    ASSERT_EQ_INT(SARHAD_ETOOBIG,
                  sarhad_presentation_parse(&p, big, sizeof(big) - 1, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_presentation_parse(NULL, "{}", 2, &err));
}

/* Inputs the mutation test starts from: the examples above, the three
 * kinds of line bench/ledger.sh records, and some edge shapes. */
static const char *const bases[] = {
    HEAD "\"counter\":\"T-12\",\"traveller\":{\"nationality\":\"AFG\","
         "\"residence\":\"Spin Boldak\",\"tribe\":null,\"occupation\":"
         "\"driver\",\"sex\":\"F\",\"birth_date\":\"1990-01-01\",\"purpose\":"
         "\"medical\",\"father_name\":\"Gul\"},\"movement\":{\"category\":"
         "\"spontaneous_return\",\"household\":\"H1\",\"household_size\":6,"
         "\"vulnerabilities\":[\"elderly\",\"medical\"],\"vehicles\":1,"
         "\"intended_stay\":\"permanent\"},\"documents\":[{\"kind\":"
         "\"passport\",\"mrz\":\"" PASSPORT_MRZ "\"},{\"kind\":\"visa\","
         "\"mrz\":\"" VISA_MRZ "\",\"category\":\"visit\",\"entries\":"
         "\"multiple\",\"stay_days\":60},{\"kind\":\"tazkira\",\"number\":"
         "\"1400-01\",\"district\":\"Kandahar\"},{\"kind\":\"cnic\","
         "\"number\":\"54201-1234567-3\"},{\"kind\":\"por\",\"number\":\"X\","
         "\"expiry\":\"2025-06-30\",\"issued\":\"2020-01-01\",\"issuer\":"
         "\"NADRA\"}]}",
    "{\"crossing\":\"TORKHAM\",\"direction\":\"exit\",\"time\":"
    "\"2023-11-01T10:00:00+05:00\",\"traveller\":{\"nationality\":\"AFG\","
    "\"sex\":\"F\",\"birth_date\":\"1985-05-05\"},\"movement\":{\"category\":"
    "\"spontaneous_return\",\"household\":\"H0\",\"household_size\":4},"
    "\"documents\":[{\"kind\":\"por\",\"number\":\"POR0\"}]}",
    "{\"crossing\":\"CHAMAN\",\"direction\":\"entry\",\"time\":"
    "\"2023-11-02T08:00:00+05:00\",\"traveller\":{\"nationality\":\"PAK\","
    "\"sex\":\"M\",\"birth_date\":\"1980-02-02\"},\"documents\":[{\"kind\":"
    "\"cnic\",\"number\":\"17301-0000001-1\"}]}",
    "{\"crossing\":\"TORKHAM\",\"direction\":\"entry\",\"time\":"
    "\"2023-11-08T09:30:00+05:00\",\"traveller\":{\"nationality\":\"AFG\","
    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\"},\"documents\":[{\"kind\":"
    "\"passport\",\"mrz\":\"" PASSPORT_MRZ "\"},{\"kind\":\"visa\",\"mrz\":"
    "\"" VISA_MRZ "\",\"category\":\"visit\",\"entries\":\"single\","
    "\"stay_days\":60}]}",
    " {\n  \"documents\" : [ ] , \"traveller\" : { } ,\n  \"time\" : "
    "\"2023-11-05T09:30:00Z\", \"direction\":\"exit\", \"crossing\":"
    "\"BADINI\", \"movement\": null, \"counter\": null }\n",
    "{\"crossing\":\"BARABCHA\",\"direction\":\"exit\",\"time\":"
    "\"2023-11-03T11:00:00+05:00\",\"traveller\":{\"nationality\":\"AFG\","
    "\"sex\":\"M\"},\"movement\":{\"category\":\"deportation\","
    "\"arrest_province\":\"balochistan\",\"arrested_on\":\"2023-10-30\"},"
    "\"documents\":[]}",
    HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\\u00e9\\n1\","
              "\"entries\":\"double\",\"stay_days\":3660,\"issued\":\"\","
              "\"expiry\":null}]}",
};

/* One deterministic mutation of base into out: delete, replace or insert
 * a byte, or repeat a stretch (which makes duplicate keys and objects). */
static size_t
mutate(char *out, const char *base, size_t len, unsigned pos, unsigned how)
{
    static const char bytes[] = "\"{}[],:x0 \\-9e.n\x01\xc3";
    char c = bytes[how % (sizeof(bytes) - 1)];
    size_t n = 0;

    switch (how / (sizeof(bytes) - 1)) {
    case 0: /* delete */
        memcpy(out, base, pos);
        memcpy(out + pos, base + pos + 1, len - pos - 1);
        return len - 1;
    case 1: /* replace */
        memcpy(out, base, len);
        out[pos] = c;
        return len;
    case 2: /* insert */
        memcpy(out, base, pos);
        out[pos] = c;
        memcpy(out + pos + 1, base + pos, len - pos);
        return len + 1;
    default: { /* repeat base[pos, pos + span) */
        size_t span = 1 + (how * 7 + pos) % 40;
        if (pos + span > len)
            span = len - pos;
        memcpy(out, base, pos + span);
        n = pos + span;
        memcpy(out + n, base + pos, len - pos);
        return n + len - pos;
    }
    }
}

TEST(presentation_matches_the_reference_on_mutated_inputs)
{
    static char buf[4096];
    unsigned checked = 0, accepted = 0, fast = 0, fast_failed = 0;

    for (size_t b = 0; b < SARHAD_COUNT_OF(bases); b++) {
        size_t len = strlen(bases[b]);
        const char *diff = ref_compare_parse(bases[b], len, NULL);
        if (diff[0] != '\0')
            test_failed(__FILE__, __LINE__, "base %zu: %s", b, diff);
        ASSERT(diff[0] == '\0');
        for (unsigned pos = 0; pos < len; pos++)
            for (unsigned how = pos % 3; how < 4 * 18;
                 how += 3 + (pos + how) % 5) {
                size_t n = mutate(buf, bases[b], len, pos, how);
                struct sarhad_presentation p;
                bool handled;
                diff = ref_compare_parse(buf, n, &p);
                if (diff[0] == '\0')
                    diff = ref_compare_fast(buf, n, &handled);
                if (diff[0] != '\0')
                    test_failed(__FILE__, __LINE__, "%s on: %.*s", diff, (int)n,
                                buf);
                ASSERT(diff[0] == '\0');
                checked++;
                accepted += p.crossing[0] != '\0';
                fast += handled;
                fast_failed += handled && p.crossing[0] == '\0';
            }
    }
    /* Both outcomes were exercised in numbers, and the fast parser both
     * took inputs (reading some, refusing others on their fields) and gave
     * up on many. */
    ASSERT(checked > 20000);
    ASSERT(accepted > 1000 && accepted < checked / 2);
    ASSERT(fast > accepted && fast < checked - 5000);
    ASSERT(fast_failed > 1000);
}

/* Whether the fast parser takes json, and with the same result as jansson
 * and as the reference. */
static int
fast_takes(const char *json)
{
    bool handled;
    const char *diff = ref_compare_parse(json, strlen(json), NULL);

    if (diff[0] == '\0')
        diff = ref_compare_fast(json, strlen(json), &handled);
    if (diff[0] != '\0') {
        fprintf(stderr, "%s on: %s\n", diff, json);
        return -1;
    }
    return handled;
}

TEST(presentation_fast_path_takes_the_usual_shapes)
{
    for (size_t b = 0; b < SARHAD_COUNT_OF(bases); b++)
        ASSERT_EQ_INT(1, fast_takes(bases[b]));
    /* Escapes, UTF-8 and whitespace as jansson reads them. */
    ASSERT_EQ_INT(1, fast_takes(HEAD "\"counter\":\"\\u00e9\\/\\\"\\\\\\b"
                                     "\\f\\r\\t\\ud83d\\ude00\\u20AC\","
                                     "\"traveller\":{\"father_name\":"
                                     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                                     "\"},\"documents\":[]}"));
    ASSERT_EQ_INT(1, fast_takes("\t\r\n {\"documents\":[ ],\"traveller\":"
                                "{ },\"time\":\"2023-11-05T09:30:00Z\","
                                "\"direction\":\"exit\",\"crossing\":"
                                "\"BADINI\" } \n"));
    /* Field errors are the checks', on the fast parser's values too. */
    ASSERT_EQ_INT(1, fast_takes(HEAD TRAV "\"documents\":[{\"kind\":\"visa\","
                                          "\"number\":\"E1\",\"stay_days\":"
                                          "-3}]}"));
    ASSERT_EQ_INT(1, fast_takes(HEAD TRAV "\"documents\":[{\"kind\":true}]}"));
    ASSERT_EQ_INT(1, fast_takes(HEAD TRAV "\"documents\":[1,null]}"));
    ASSERT_EQ_INT(1, fast_takes(HEAD "\"traveller\":null,\"documents\":[]}"));
    ASSERT_EQ_INT(1, fast_takes(HEAD TRAV "\"movement\":{\"vulnerabilities\":"
                                          "[\"medical\",7]},"
                                          "\"documents\":[]}"));
}

TEST(presentation_fast_path_matches_on_the_fuzz_corpus)
{
    /* The seed corpus has usual and unusual shapes: both paths are taken. */
    DIR *dir = opendir("fuzz/corpus/presentation");
    struct dirent *e;
    static char json[SARHAD_PRESENTATION_MAX_LEN + 1];
    unsigned taken = 0, files = 0;

    ASSERT(dir != NULL);
    while ((e = readdir(dir)) != NULL) {
        char path[512];
        FILE *f;
        size_t n;
        bool handled;
        const char *diff;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "fuzz/corpus/presentation/%s", e->d_name);
        f = fopen(path, "rb");
        if (f == NULL)
            continue;
        n = fread(json, 1, sizeof(json), f);
        fclose(f);
        diff = ref_compare_parse(json, n, NULL);
        if (diff[0] == '\0')
            diff = ref_compare_fast(json, n, &handled);
        if (diff[0] != '\0')
            test_failed(__FILE__, __LINE__, "%s on %s", diff, path);
        if (diff[0] != '\0')
            break;
        files++;
        taken += handled;
    }
    closedir(dir);
    ASSERT(e == NULL);
    ASSERT(files >= 10);
    ASSERT(taken >= 4 && taken <= files - 4);
}

TEST(presentation_fast_path_gives_up_on_the_unusual)
{
    /* Each is read by jansson alone: JSON errors, duplicates and unknown
     * keys (so that their messages and order are jansson's), what jansson
     * refuses inside strings, numbers it reads otherwise, and more values
     * than the fast parser has room for. */
    static const char *const unusual[] = {
        HEAD TRAV "\"documents\":[]",
        HEAD TRAV "\"documents\":[]}x",
        HEAD TRAV "\"documents\":[],}",
        HEAD TRAV "\"documents\":[1,]}",
        HEAD TRAV "\"documents\":[]}{}",
        HEAD TRAV "\"time\":\"x\",\"documents\":[]}",
        HEAD TRAV "\"extra\":1,\"documents\":[]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"por\",\"colour\":1}]}",
        HEAD TRAV "\"counter\":\"\\u0000\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\\ud800\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\\udc00\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\\ud800\\u0041\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\\x\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\\u12G4\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"a\tb\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\xc0\xaf\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\xed\xa0\x80\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\xf4\x90\x80\x80\",\"documents\":[]}",
        HEAD TRAV "\"counter\":\"\xe2\x82\",\"documents\":[]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\","
                  "\"stay_days\":060}]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\","
                  "\"stay_days\":6.0}]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\","
                  "\"stay_days\":6e1}]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\","
                  "\"stay_days\":1234567890123456789}]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"visa\",\"number\":\"E\","
                  "\"stay_days\":-}]}",
        HEAD TRAV "\"documents\":[{},{},{},{},{},{},{},{},{}]}",
        HEAD TRAV "\"movement\":{\"vulnerabilities\":[\"a\",\"b\",\"c\","
                  "\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]},"
                  "\"documents\":[]}",
        HEAD TRAV "\"documents\":[{\"kind\":\"por\",\"number\":[]}]}",
        HEAD TRAV "\"documents\":[[]]}",
        HEAD "\"traveller\":[],\"documents\":[]}",
        HEAD TRAV "\"documents\":[],\"counter\":nul}",
        HEAD TRAV "\"documents\":[],\"\\u0063ounter\":null}",
        "[]",
        "",
        " ",
    };

    static char big[8192];
    size_t n;
    int taken = 0;

    for (size_t i = 0; i < SARHAD_COUNT_OF(unusual); i++)
        if (fast_takes(unusual[i]) != 0)
            test_failed(__FILE__, __LINE__, "taken: %s", unusual[i]);
    for (size_t i = 0; i < SARHAD_COUNT_OF(unusual); i++)
        ASSERT_EQ_INT(0, fast_takes(unusual[i]));
    /* Strings with escapes beyond the room for decoding them (those
     * without escapes are not copied: any length is taken). */
    for (size_t fill = SARHAD__FAST_TEXT - 8; fill < SARHAD__FAST_TEXT + 8;
         fill++) {
        n = (size_t)snprintf(big, sizeof(big), HEAD TRAV "\"counter\":\"");
        memset(big + n, 'x', fill);
        n += fill;
        n += (size_t)snprintf(big + n, sizeof(big) - n,
                              "\\n\",\"documents\":[]}");
        if (fill >= SARHAD__FAST_TEXT)
            ASSERT_EQ_INT(0, fast_takes(big));
        else
            taken += fast_takes(big);
        memcpy(big + n - 20, "xx", 2); /* no escape: taken */
        ASSERT_EQ_INT(1, fast_takes(big));
    }
    ASSERT(taken > 0);
}

TEST(presentation_larger_than_the_arena_matches_and_frees)
{
    /* Thousands of values need far more than the arena: jansson spills to
     * the heap, and the tree is freed (LeakSanitizer and valgrind see to
     * the "frees"). */
    size_t cap = 40000, n;
    char *json = malloc(cap), *bad;
    const char *diff;
    struct sarhad_presentation p;

    ASSERT(json != NULL);
    n = (size_t)snprintf(json, cap,
                         HEAD TRAV "\"movement\":{\"vulnerabilities\":[");
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(json + n, cap - n, "%s\"%s\"", i ? "," : "",
                              i % 2 ? "elderly" : "medical");
    n += (size_t)snprintf(json + n, cap - n, "]},\"documents\":[]}");
    diff = ref_compare_parse(json, n, &p);
    ASSERT_EQ_STR("", diff);
    ASSERT_EQ_INT(SARHAD_VULN_ELDERLY | SARHAD_VULN_MEDICAL,
                  p.movement.vulnerabilities);
    /* The same far into the tree, failing: the partial tree is freed. */
    bad = strstr(json, "\"documents\":[]");
    ASSERT(bad != NULL);
    memcpy(bad, "\"documents\":{}", 14);
    diff = ref_compare_parse(json, n, &p);
    ASSERT_EQ_STR("", diff);
    ASSERT_EQ_INT(0, p.document_count);
    /* And a syntax error after the spill. */
    json[n - 1] = ']';
    diff = ref_compare_parse(json, n, &p);
    ASSERT_EQ_STR("", diff);
    free(json);
}

struct reader {
    unsigned rounds;
    int failed;
};

static void *
read_many(void *arg)
{
    struct reader *r = arg;

    for (unsigned k = 0; k < r->rounds; k++)
        for (size_t b = 0; b < SARHAD_COUNT_OF(bases); b++) {
            struct sarhad_presentation p;
            struct sarhad_error err;
            const char *json = bases[(b + k) % SARHAD_COUNT_OF(bases)];
            if (sarhad_presentation_parse(&p, json, strlen(json), &err) !=
                    SARHAD_OK ||
                strlen(p.crossing) < 6)
                r->failed = 1;
            /* A failing read in between. */
            if (sarhad_presentation_parse(&p, json, strlen(json) / 2, &err) ==
                    SARHAD_OK ||
                err.line == 0)
                r->failed = 1;
        }
    return NULL;
}

TEST(presentation_reads_on_several_threads_at_once)
{
    /* Each thread's jansson allocations go to its own arena (the hooks are
     * process-wide): parallel reads must neither mix nor crash. */
    pthread_t threads[4];
    struct reader readers[4];

    for (int i = 0; i < 4; i++) {
        readers[i].rounds = 200;
        readers[i].failed = 0;
        ASSERT_EQ_INT(
            0, pthread_create(&threads[i], NULL, read_many, &readers[i]));
    }
    for (int i = 0; i < 4; i++) {
        ASSERT_EQ_INT(0, pthread_join(threads[i], NULL));
        ASSERT_EQ_INT(0, readers[i].failed);
    }
}

static long counted_live;

static void *
counted_malloc(size_t size)
{
    counted_live++;
    return malloc(size);
}

static void
counted_free(void *p)
{
    if (p != NULL)
        counted_live--;
    free(p);
}

TEST(presentation_reads_when_jansson_has_another_allocator)
{
    /* An embedding program that sets its own jansson allocator gets the
     * plain path: everything allocated is freed through it. */
    json_malloc_t arena_malloc;
    json_free_t arena_free;
    const char *diff = NULL;

    json_get_alloc_funcs(&arena_malloc, &arena_free);
    json_set_alloc_funcs(counted_malloc, counted_free);
    counted_live = 0;
    for (size_t b = 0; b < SARHAD_COUNT_OF(bases); b++) {
        diff = ref_compare_parse(bases[b], strlen(bases[b]), NULL);
        if (diff[0] != '\0')
            break;
        diff = ref_compare_parse(bases[b], strlen(bases[b]) / 2, NULL);
        if (diff[0] != '\0')
            break;
    }
    json_set_alloc_funcs(arena_malloc, arena_free);
    ASSERT_EQ_STR("", diff);
    ASSERT_EQ_INT(0, counted_live);
}

static unsigned long long dj_rng = 0x9E3779B97F4A7C15ull;

static unsigned
dj_rand(void)
{
    dj_rng ^= dj_rng << 13;
    dj_rng ^= dj_rng >> 7;
    dj_rng ^= dj_rng << 17;
    return (unsigned)(dj_rng >> 32);
}

/* Text of up to cap bytes: plain words, every kind of byte that needs
 * escaping, UTF-8, and sometimes no NUL at all (a full field). */
static void
fill_text(char *s, size_t cap)
{
    static const char pool[] = "abc XYZ019_-.\"\\/\n\t\r\x01\x1f\x7f\xc3\xa9";
    size_t n = dj_rand() % 4 == 0 ? cap : dj_rand() % cap;

    for (size_t i = 0; i < n; i++)
        s[i] = pool[dj_rand() % (sizeof(pool) - 1)];
    if (n < cap)
        s[n] = '\0';
}

static int
any_int(void)
{
    static const int edges[] = {
        0, 1, -1, 9, 10, 99, 100, 2147483647, -2147483647 - 1, 365, -400};
    return dj_rand() % 2 ? edges[dj_rand() % 11] : (int)dj_rand();
}

TEST(decision_json_matches_the_reference)
{
    static struct sarhad_decision d;

    for (int round = 0; round < 1500; round++) {
        memset(&d, 0, sizeof(d));
        d.outcome = (enum sarhad_outcome)(dj_rand() % 3);
        if (dj_rand() % 2)
            fill_text(d.zone, sizeof(d.zone));
        fill_text(d.rule, sizeof(d.rule));
        fill_text(d.policy_name, sizeof(d.policy_name));
        d.policy_version = any_int();
        d.overstay_days = any_int();
        d.fine_usd = any_int();
        d.reason_count = dj_rand() % (SARHAD_MAX_REASONS + 3);
        for (unsigned i = 0; i < SARHAD_MAX_REASONS; i++) {
            fill_text(d.reasons[i].code, sizeof(d.reasons[i].code));
            fill_text(d.reasons[i].message, sizeof(d.reasons[i].message));
        }
        d.flag_count = dj_rand() % (SARHAD_MAX_FLAGS + 3);
        for (unsigned i = 0; i < SARHAD_MAX_FLAGS; i++) {
            if (dj_rand() % 3 == 0)
                snprintf(d.flags[i].code, sizeof(d.flags[i].code),
                         "mrz_check_failed");
            else
                fill_text(d.flags[i].code, sizeof(d.flags[i].code));
            fill_text(d.flags[i].detail, sizeof(d.flags[i].detail));
        }
        d.hit_count = dj_rand() % (SARHAD_MAX_HITS + 3);
        for (unsigned i = 0; i < SARHAD_MAX_HITS; i++) {
            fill_text(d.hits[i].list_version, sizeof(d.hits[i].list_version));
            fill_text(d.hits[i].entry_id, sizeof(d.hits[i].entry_id));
            fill_text(d.hits[i].name, sizeof(d.hits[i].name));
            d.hits[i].score = any_int();
            fill_text(d.hits[i].why, sizeof(d.hits[i].why));
        }
        if (!ref_same_decision_json(&d))
            test_failed(__FILE__, __LINE__, "round %d differs", round);
        ASSERT(ref_same_decision_json(&d));
    }
}
