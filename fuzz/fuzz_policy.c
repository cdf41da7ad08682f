/*
 * fuzz_policy.c - the policy compiler and checker on arbitrary text: any
 * input must compile or fail with a located error, never crash or leak; a
 * policy that compiles is linted and decides one fixed presentation.
 */
#include <stdint.h>
#include <string.h>

#include "sarhad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sarhad_policy *p = NULL;
    struct sarhad_error err;
    struct sarhad_lint_issue issues[8];
    struct sarhad_presentation pr;
    struct sarhad_decision d;
    char json[4096];

    if (sarhad_policy_compile(&p, "fuzz", (const char *)data, size, &err) !=
        SARHAD_OK)
        return 0;
    (void)sarhad_policy_lint(p, issues, 8);
    memset(&pr, 0, sizeof(pr));
    memcpy(pr.crossing, "CHAMAN", 7);
    pr.time.date.year = 2024;
    pr.time.date.month = 8;
    pr.time.date.day = 1;
    memcpy(pr.traveller.nationality, "AFG", 4);
    pr.document_count = 1;
    pr.documents[0].kind = SARHAD_DOC_TAZKIRA;
    memcpy(pr.documents[0].district, "Kandahar", 9);
    if (sarhad_policy_decide(&d, p, &pr, NULL, NULL, &err) == SARHAD_OK)
        (void)sarhad_decision_json(json, sizeof(json), &d);
    sarhad_policy_free(p);
    return 0;
}
