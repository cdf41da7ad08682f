/*
 * serve_body.c - the strict reading of a request body: valid UTF-8 JSON
 * (jansson checks every byte), one object, no duplicate keys, no field the
 * route does not know, every required field present.  Kept apart from the
 * rest of the server, with no state, so that the fuzz target
 * (fuzz/fuzz_http_body.c) drives exactly the code the server runs.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

static bool
listed(const char *const *names, const char *key)
{
    for (size_t i = 0; names != NULL && names[i] != NULL; i++)
        if (strcmp(names[i], key) == 0)
            return true;
    return false;
}

json_t *
serve_parse_object(const char *body, size_t len, const char *const *allowed,
                   const char *const *required, const char **code,
                   char field[64], char msg[160])
{
    json_error_t jerr;
    json_t *doc;
    const char *key;
    json_t *value;

    field[0] = '\0';
    if (len == 0) {
        *code = "bad_json";
        snprintf(msg, 160, "the body is empty: send a JSON object");
        return NULL;
    }
    doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        *code = "bad_json";
        snprintf(msg, 160, "line %d, column %d: %.120s", jerr.line, jerr.column,
                 jerr.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        *code = "bad_json";
        snprintf(msg, 160, "the body must be a JSON object");
        return NULL;
    }
    json_object_foreach(doc, key, value)
    {
        (void)value;
        if (!listed(allowed, key)) {
            *code = "unknown_field";
            snprintf(field, 64, "%s", key);
            snprintf(msg, 160, "this request takes no such field");
            json_decref(doc);
            return NULL;
        }
    }
    for (size_t i = 0; required != NULL && required[i] != NULL; i++) {
        if (json_object_get(doc, required[i]) == NULL) {
            *code = "missing_field";
            snprintf(field, 64, "%s", required[i]);
            snprintf(msg, 160, "this field is required");
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}
