/*
 * ledger_prepare.c - a crossing made ready for recording on another
 * thread than the one that records.  The ledger has one writer; whatever
 * of a crossing does not need the store (screening the name, writing the
 * presentation as the attempt keeps it, starting the audit hash over that
 * text) is done here, on the thread that read the presentation, so the
 * writer spends its time on the decision and the rows.
 */
#include "ledger.h"

#include <string.h>

enum sarhad_status
sarhad_prepared_new(struct sarhad_prepared **out, struct sarhad_error *err)
{
    *out = sarhad__calloc(1, sizeof(**out));
    if (*out == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "prepared", SIZE_MAX, NULL);
    return SARHAD_OK;
}

void
sarhad_prepared_free(struct sarhad_prepared *prep)
{
    if (prep == NULL)
        return;
    sarhad__buf_free(&prep->text);
    sarhad__free(prep);
}

void
sarhad__crossing_hash_start(crypto_generichash_state *h,
                            const struct sarhad__buf *text)
{
    crypto_generichash_init(h, NULL, 0, 32);
    crypto_generichash_update(h, (const unsigned char *)text->data, text->len);
    crypto_generichash_update(h, (const unsigned char *)"\n", 1);
}

enum sarhad_status
sarhad_ledger_prepare(const struct sarhad_ledger *ledger,
                      const struct sarhad_presentation *p,
                      struct sarhad_prepared *prep, struct sarhad_error *err)
{
    crypto_generichash_state h;
    enum sarhad_status s;

    if (ledger == NULL || p == NULL || prep == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "prepare", SIZE_MAX,
                            "ledger, presentation and output are required");
    prep->p = NULL;
    s = sarhad__ledger_screen(ledger, p, &prep->screening, err);
    if (s != SARHAD_OK)
        return s;
    sarhad__buf_reset(&prep->text);
    sarhad__buf_reserve(&prep->text, 2048); /* failure shows in .failed */
    sarhad__presentation_json(&prep->text, p);
    if (prep->text.failed)
        return sarhad__fail(err, SARHAD_ENOMEM, "prepare", SIZE_MAX, NULL);
    sarhad__crossing_hash_start(&h, &prep->text);
    memcpy(prep->hash, &h, sizeof(prep->hash));
    prep->p = p;
    return SARHAD_OK;
}
