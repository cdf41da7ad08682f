/*
 * serve_openapi.c - the OpenAPI 3 document at /v1/openapi.json, made from
 * the route table (paths, methods, who may call them, body limits, path
 * and query arguments) and the request schemas below, so that every route
 * the server answers is described and nothing described is missing.
 * Request schemas say additionalProperties: false because the server
 * refuses unknown fields.  Routes outside /v1 (the web console's files)
 * are not part of the API and are left out.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

static const char schemas[] =
    "{"
    "\"Error\":{\"type\":\"object\",\"required\":[\"code\",\"message\"],"
    "\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"bad_json\","
    "\"unknown_field\",\"missing_field\",\"invalid\",\"unauthorized\","
    "\"forbidden\",\"csrf\",\"not_found\",\"method_not_allowed\","
    "\"conflict\",\"too_large\",\"throttled\",\"store_unavailable\","
    "\"no_ledger\",\"internal\"]},"
    "\"field\":{\"type\":[\"string\",\"null\"]},"
    "\"message\":{\"type\":\"string\"}}},"
    "\"Any\":{\"type\":\"object\"},"
    "\"Login\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"username\",\"password\"],\"properties\":{"
    "\"username\":{\"type\":\"string\",\"maxLength\":64},"
    "\"password\":{\"type\":\"string\",\"maxLength\":128}}},"
    "\"NewUser\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"username\",\"role\",\"password\"],\"properties\":{"
    "\"username\":{\"type\":\"string\",\"pattern\":"
    "\"^[a-z][a-z0-9._-]{0,30}$\"},"
    "\"role\":{\"type\":\"string\",\"enum\":[\"officer\",\"supervisor\","
    "\"analyst\",\"admin\",\"auditor\"]},"
    "\"post\":{\"type\":\"string\",\"pattern\":\"^[A-Z_]{0,15}$\"},"
    "\"password\":{\"type\":\"string\",\"minLength\":10,"
    "\"maxLength\":128}}},"
    "\"Password\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"password\"],\"properties\":{\"password\":{"
    "\"type\":\"string\",\"minLength\":10,\"maxLength\":128}}},"
    "\"Resolution\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"decision\",\"reason\"],\"properties\":{"
    "\"decision\":{\"type\":\"string\",\"enum\":[\"admit\",\"refuse\"]},"
    "\"reason\":{\"type\":\"string\",\"maxLength\":1000}}},"
    "\"PolicyUpload\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"text\"],\"properties\":{"
    "\"filename\":{\"type\":\"string\",\"maxLength\":127},"
    "\"text\":{\"type\":\"string\"}}},"
    "\"WatchlistUpload\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"text\"],\"properties\":{"
    "\"format\":{\"type\":\"string\",\"enum\":[\"csv\",\"un-xml\","
    "\"auto\"]},"
    "\"source\":{\"type\":\"string\",\"maxLength\":95},"
    "\"text\":{\"type\":\"string\"}}},"
    "\"ReplayRequest\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"text\"],\"properties\":{"
    "\"filename\":{\"type\":\"string\",\"maxLength\":127},"
    "\"text\":{\"type\":\"string\",\"description\":\"the draft policy\"},"
    "\"from\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"to\":{\"type\":\"string\",\"format\":\"date\"}}},"
    "\"BundleUpload\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"bundle\"],\"properties\":{"
    "\"bundle\":{\"type\":\"string\",\"description\":"
    "\"The bundle file as signed: its header, a blank line, the "
    "payload\"}}},"
    "\"TrustedKey\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"public_key\"],\"properties\":{"
    "\"public_key\":{\"type\":\"string\",\"pattern\":"
    "\"^[0-9a-fA-F]{64}$\"}}},"
    "\"ScreenQuery\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"name\"],\"properties\":{"
    "\"name\":{\"type\":\"string\",\"maxLength\":200},"
    "\"birth_date\":{\"type\":\"string\",\"description\":"
    "\"YYYY-MM-DD or YYYY\"},"
    "\"nationality\":{\"type\":\"string\"},"
    "\"father_name\":{\"type\":\"string\",\"maxLength\":200}}}"
    "}";

/* What a traveller presents (DESIGN.md), as POST /v1/decisions takes it:
 * the limits are the reader's (src/presentation.c). */
static const char presentation_schemas[] =
    "{"
    "\"Presentation\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"description\":\"What a traveller presents (DESIGN.md)\","
    "\"required\":[\"crossing\",\"direction\",\"time\",\"traveller\","
    "\"documents\"],\"properties\":{\"crossing\":{\"type\":\"string\"},"
    "\"direction\":{\"type\":\"string\",\"enum\":[\"entry\",\"exit\"]},"
    "\"time\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"counter\":{\"type\":\"string\"},"
    "\"traveller\":{\"$ref\":\"#/components/schemas/Traveller\"},"
    "\"documents\":{\"type\":\"array\",\"maxItems\":8,"
    "\"items\":{\"$ref\":\"#/components/schemas/Document\"}},"
    "\"movement\":{\"$ref\":\"#/components/schemas/Movement\"}}},"
    "\"Document\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"kind\"],\"description\":\"A passport or visa carries"
    " its mrz (a visa also category, entries and stay_days, or an e-visa"
    " number); other documents what is printed on them\",\"properties\":{"
    "\"kind\":{\"type\":\"string\"},"
    "\"mrz\":{\"type\":\"string\",\"maxLength\":200,\"description\":"
    "\"the lines separated by a newline\"},"
    "\"number\":{\"type\":\"string\",\"maxLength\":31},"
    "\"issued\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"expiry\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"district\":{\"type\":\"string\",\"maxLength\":47},"
    "\"tribe\":{\"type\":\"string\",\"maxLength\":31},"
    "\"issuer\":{\"type\":\"string\",\"maxLength\":31},"
    "\"category\":{\"type\":\"string\",\"maxLength\":15},"
    "\"entries\":{\"type\":\"string\",\"enum\":[\"single\",\"double\","
    "\"multiple\"]},"
    "\"stay_days\":{\"type\":\"integer\",\"minimum\":0,"
    "\"maximum\":3660}}},"
    "\"Traveller\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"description\":\"What the officer establishes about the traveller\","
    "\"properties\":{\"nationality\":{\"type\":\"string\","
    "\"pattern\":\"^[A-Z]{3}$\"},"
    "\"sex\":{\"type\":\"string\",\"enum\":[\"M\",\"F\",\"X\"]},"
    "\"birth_date\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"residence\":{\"type\":\"string\",\"maxLength\":47},"
    "\"tribe\":{\"type\":\"string\",\"maxLength\":31},"
    "\"occupation\":{\"type\":\"string\",\"maxLength\":31},"
    "\"purpose\":{\"type\":\"string\",\"maxLength\":31},"
    "\"father_name\":{\"type\":\"string\",\"maxLength\":63}}},"
    "\"Movement\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"description\":\"The returns details of an exit (DOMAIN.md section 6);"
    " an arrest is refused on an entry, and its day may not be after the"
    " crossing's nor ten years before it\",\"properties\":{"
    "\"category\":{\"type\":\"string\",\"enum\":[\"regular\","
    "\"spontaneous_return\",\"assisted_return\",\"deportation\"]},"
    "\"household\":{\"type\":\"string\",\"maxLength\":31},"
    "\"household_size\":{\"type\":\"integer\",\"minimum\":0,"
    "\"maximum\":1000},"
    "\"vulnerabilities\":{\"type\":\"array\",\"items\":{"
    "\"type\":\"string\",\"enum\":[\"unaccompanied_child\",\"medical\","
    "\"single_woman\",\"elderly\",\"disabled\",\"specific_needs\"]}},"
    "\"vehicles\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000},"
    "\"intended_stay\":{\"type\":\"string\",\"maxLength\":15},"
    "\"arrest_province\":{\"type\":\"string\",\"enum\":["
    "\"khyber_pakhtunkhwa\",\"punjab\",\"sindh\",\"balochistan\","
    "\"islamabad\",\"gilgit_baltistan\",\"azad_kashmir\"]},"
    "\"arrested_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
    "}";

/* The document kinds the reader takes, from the library's own list. */
static void
document_kinds(json_t *components)
{
    json_t *document = json_object_get(components, "Document");
    json_t *kind =
        json_object_get(json_object_get(document, "properties"), "kind");
    json_t *names = json_array();

    for (int k = 0; k < SARHAD_DOC_KIND_COUNT; k++)
        json_array_append_new(
            names, json_string(sarhad_doc_kind_name((enum sarhad_doc_kind)k)));
    json_object_set_new(kind, "enum", names);
}

static json_t *
role_names(unsigned roles)
{
    static const char *const names[] = {"officer", "supervisor", "analyst",
                                        "admin", "auditor"};
    json_t *list = json_array();

    for (unsigned i = 0; i < 5; i++)
        if (roles & (1u << i))
            json_array_append_new(list, json_string(names[i]));
    return list;
}

static json_t *
error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description,
                     "content", "application/json", "schema", "$ref",
                     "#/components/schemas/Error");
}

static json_t *
parameters(const struct route *r)
{
    json_t *list = json_array();
    const char *open = strchr(r->pattern, '{');
    char name[64], query[128];

    if (open != NULL) {
        size_t n = (size_t)(strchr(open, '}') - open - 1);
        snprintf(name, sizeof(name), "%.*s", (int)n, open + 1);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
                            "path", "required", 1, "schema", "type", "string"));
    }
    if (r->query != NULL) {
        snprintf(query, sizeof(query), "%s", r->query);
        for (char *save = NULL, *q = strtok_r(query, ",", &save); q != NULL;
             q = strtok_r(NULL, ",", &save))
            json_array_append_new(list,
                                  json_pack("{s:s, s:s, s:b, s:{s:s}}", "name",
                                            q, "in", "query", "required", 0,
                                            "schema", "type", "string"));
    }
    return list;
}

static json_t *
operation(const struct route *r)
{
    json_t *op = json_pack("{s:s, s:o, s:{s:{s:s}}}", "summary", r->summary,
                           "x-roles", role_names(r->roles), "responses", "200",
                           "description", "done");
    json_t *responses = json_object_get(op, "responses");
    char ref[96];

    json_object_set_new(op, "parameters", parameters(r));
    if (r->roles == ROLE_PUBLIC) {
        json_object_set_new(op, "security", json_array());
    } else {
        json_object_set_new(responses, "401",
                            error_response("no valid session token"));
        json_object_set_new(responses, "403",
                            error_response("this role or post may not"));
    }
    if (r->schema != NULL) {
        snprintf(ref, sizeof(ref), "#/components/schemas/%s", r->schema);
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1,
                                      "content", "application/json", "schema",
                                      "$ref", ref));
        json_object_set_new(op, "x-max-body-bytes",
                            json_integer((json_int_t)r->body_max));
        json_object_set_new(responses, "400",
                            error_response("the body is not acceptable"));
        json_object_set_new(responses, "413",
                            error_response("the body is too large"));
    }
    json_object_set_new(responses, "default", error_response("an error"));
    return op;
}

void
serve_openapi(struct server *srv, struct request *req)
{
    json_t *paths = json_object();
    json_t *components, *presentation, *doc;
    char method[8];

    (void)srv;
    for (size_t i = 0; i < serve_route_count; i++) {
        const struct route *r = &serve_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        size_t k;
        if (strncmp(r->pattern, "/v1/", 4) != 0)
            continue; /* the web console, not the API */
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        for (k = 0; r->method[k] != '\0' && k + 1 < sizeof(method); k++)
            method[k] = (char)(r->method[k] | 0x20);
        method[k] = '\0';
        json_object_set_new(item, method, operation(r));
    }
    components = json_loads(schemas, 0, NULL);
    presentation = json_loads(presentation_schemas, 0, NULL);
    json_object_update(components, presentation);
    json_decref(presentation);
    document_kinds(components);
    doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s}}}, "
        "s:[{s:[]}]}",
        "openapi", "3.1.0", "info", "title", "sarhad post API", "version",
        SARHAD_VERSION, "description",
        "Border-crossing decisions, the crossing ledger, accounts and the "
        "audit log of one post. Errors are JSON {code, field, message}.",
        "paths", paths, "components", "schemas", components, "securitySchemes",
        "bearer", "type", "http", "scheme", "bearer", "security", "bearer");
    serve_reply_json(req, 200, doc);
}
