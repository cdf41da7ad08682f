/*
 * fuzz_http_body.c - the server's strict reading of request bodies
 * (cmd/sarhad/serve_body.c, compiled in here): any bytes in, and either a
 * refusal with a stable code or an object that holds only allowed fields,
 * has every required one, and survives a dump and re-read unchanged.  The
 * one-pass check of the echo route (serve_json_check) must agree with
 * jansson on every input, duplicate keys allowed, except where jansson
 * refuses a number too large for its types (the check does not convert)
 * and where jansson passes over a raw NUL byte (both of ours refuse it).
 */
#include "../cmd/sarhad/serve_body.c"

#include <assert.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const allowed[] = {"username", "password", "decision",
                                          "reason", NULL};
    static const char *const required[] = {"username", NULL};
    const char *code = NULL;
    char field[64], msg[160];
    json_t *doc = serve_parse_object((const char *)data, size, allowed,
                                     required, &code, field, msg);
    json_error_t jerr;
    json_t *any = json_loadb((const char *)data, size, 0, &jerr);
    bool checked = serve_json_check((const char *)data, size, NULL);

    /* Both refuse a raw NUL byte, which jansson alone skips. */
    if (memchr(data, 0, size) != NULL)
        assert(doc == NULL && !checked);
    else if (any != NULL)
        assert(checked);
    else
        assert(!checked ||
               json_error_code(&jerr) == json_error_numeric_overflow);
    json_decref(any);
    if (doc == NULL) {
        assert(code != NULL && msg[0] != '\0');
        return 0;
    }
    {
        const char *key;
        json_t *value, *again;
        char *text;
        json_object_foreach(doc, key, value)
        {
            (void)value;
            assert(listed(allowed, key));
        }
        assert(json_object_get(doc, "username") != NULL);
        text = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
        assert(text != NULL);
        again = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
        assert(again != NULL && json_equal(doc, again));
        json_decref(again);
        free(text);
    }
    json_decref(doc);
    return 0;
}
