/*
 * test_presentation.c - the presentation reader: the DESIGN.md example
 * reads field by field, and every kind of bad input is refused with the
 * field it concerns, never read loosely.
 */
#include "test.h"

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
