/*
 * fuzz_http_body.c - the server's strict reading of request bodies
 * (cmd/sarhad/serve_body.c, compiled in here): any bytes in, and either a
 * refusal with a stable code or an object that holds only allowed fields,
 * has every required one, and survives a dump and re-read unchanged.
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
