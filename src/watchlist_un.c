/*
 * watchlist_un.c - reading the UN Security Council consolidated sanctions
 * list (its published XML) with libxml2.  Each INDIVIDUAL becomes an
 * entry: the reference number (TAi.004) as id, FIRST..FOURTH_NAME as the
 * primary name, NAME_ORIGINAL_SCRIPT and every non-empty ALIAS_NAME as
 * further names, every INDIVIDUAL_DATE_OF_BIRTH (exact day, year,
 * "APPROXIMATELY" year, "BETWEEN" years), the nationalities as ICAO codes,
 * the gender, and the father's name when the comments give it.  Entities
 * are not expanded and nothing is fetched from the network.
 */
#include "watchlist.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

/* Comments run to a few KiB; longer text is cut (names are checked). */
#define TEXT_BUF 16384

static bool
named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* The element's text, trimmed, into out (cap bytes); "" when absent. */
static size_t
text_of(char *out, size_t cap, const xmlNode *n)
{
    size_t len = 0, a = 0;

    out[0] = '\0';
    if (n == NULL)
        return 0;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        for (const xmlChar *p = c->content; p != NULL && *p; p++) {
            if (len + 1 >= cap)
                break;
            /* Line breaks inside a value are spaces. */
            out[len++] =
                (char)((*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
        }
    }
    while (len > 0 && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    while (out[a] == ' ')
        a++;
    if (a > 0)
        memmove(out, out + a, len - a + 1);
    return len - a;
}

static enum sarhad_status
fail_node(struct sarhad_error *err, enum sarhad_status code, const xmlNode *n,
          const char *field, const char *msg)
{
    return sarhad__fail_at(err, code, field, (unsigned)xmlGetLineNo(n), 0, "%s",
                           msg);
}

static enum sarhad_status
add_birth(struct sarhad_watchlist_entry *e, const xmlNode *dob,
          struct sarhad_error *err)
{
    char type[32], buf[64];
    struct sarhad_birth b;
    bool approx;

    text_of(type, sizeof(type), child(dob, "TYPE_OF_DATE"));
    approx = strcasecmp(type, "APPROXIMATELY") == 0;
    for (const xmlNode *c = dob->children; c != NULL; c = c->next) {
        size_t n;
        if (!named(c, "DATE") && !named(c, "YEAR") && !named(c, "FROM_YEAR"))
            continue;
        if (named(c, "FROM_YEAR")) {
            char to[16];
            text_of(to, sizeof(to), child(dob, "TO_YEAR"));
            n = text_of(buf, sizeof(buf) - 16, c);
            n += sarhad__strlcpy(buf + n, "..", 3);
            n += sarhad__strlcpy(buf + n, to, 14);
        } else {
            n = text_of(buf, sizeof(buf), c);
        }
        if (n == 0)
            continue;
        if (sarhad_birth_parse(&b, buf, n, err) != SARHAD_OK)
            return fail_node(err, SARHAD_EFORMAT, c, "DATE_OF_BIRTH",
                             "a birth date is not YYYY-MM-DD, YYYY or a "
                             "range of years");
        b.approximate = b.approximate || approx;
        if (e->birth_count == SARHAD_WL_MAX_BIRTHS)
            return fail_node(err, SARHAD_ETOOBIG, c, "DATE_OF_BIRTH",
                             "too many birth dates for one individual");
        e->births[e->birth_count++] = b;
    }
    return SARHAD_OK;
}

/* "Father's name is Ghulam Nabi, also known as ..." and the like. */
static void
father_from_comments(struct sarhad_watchlist_entry *e, const char *text)
{
    static const char *const marks[] = {
        "Father's name is ", "Father\xE2\x80\x99s name is ",
        "Father's name: ", "Father\xE2\x80\x99s name: "};

    for (size_t i = 0; i < SARHAD_COUNT_OF(marks); i++) {
        const char *p = strstr(text, marks[i]);
        size_t n = 0;
        if (p == NULL)
            continue;
        p += strlen(marks[i]);
        while (p[n] != '\0' && strchr(".;,(", p[n]) == NULL &&
               n + 1 < sizeof(e->father_name))
            n++;
        while (n > 0 && p[n - 1] == ' ')
            n--;
        memcpy(e->father_name, p, n);
        e->father_name[n] = '\0';
        return;
    }
}

/* The individual's name: its FIRST_NAME to FOURTH_NAME parts joined with
 * spaces (buf, cap bytes, is scratch space). */
static enum sarhad_status
read_main_name(struct sarhad_watchlist_entry *e, const xmlNode *ind, char *buf,
               size_t cap, struct sarhad_error *err)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME",
                                        "THIRD_NAME", "FOURTH_NAME"};
    char name[SARHAD_WL_NAME_LEN * 2];
    size_t nlen = 0;
    enum sarhad_status s;

    for (size_t i = 0; i < SARHAD_COUNT_OF(parts); i++) {
        size_t n = text_of(buf, cap, child(ind, parts[i]));
        if (n == 0)
            continue;
        if (nlen + n + 2 > sizeof(name))
            return fail_node(err, SARHAD_ETOOBIG, ind, parts[i],
                             "a name longer than the limit");
        if (nlen > 0)
            name[nlen++] = ' ';
        memcpy(name + nlen, buf, n);
        nlen += n;
    }
    name[nlen] = '\0';
    s = sarhad__entry_add_name(e, name, nlen, err);
    if (s == SARHAD_OK && e->name_count == 0)
        s = SARHAD_EFORMAT;
    if (s != SARHAD_OK)
        return fail_node(err, s, ind, "FIRST_NAME",
                         "an individual without a usable name");
    return SARHAD_OK;
}

/* The NATIONALITY values of c that name a country. */
static void
add_nationalities(struct sarhad_watchlist_entry *e, const xmlNode *c, char *buf,
                  size_t cap)
{
    for (const xmlNode *v = c->children; v != NULL; v = v->next) {
        char code[4];
        size_t n;
        if (!named(v, "VALUE"))
            continue;
        n = text_of(buf, cap, v);
        /* "na", "former Soviet Union": no nationality to match. */
        if (!sarhad_nationality_code(code, buf, n) ||
            e->nationality_count == SARHAD_WL_MAX_NATS)
            continue;
        memcpy(e->nationalities[e->nationality_count++], code, 4);
    }
}

/* What child c of an INDIVIDUAL adds to e: a name in the original
 * script, an alias, a birth date, nationalities, the sex or, from the
 * comments, the father's name.  Other children are skipped. */
static enum sarhad_status
read_detail(struct sarhad_watchlist_entry *e, const xmlNode *c, char *buf,
            size_t cap, struct sarhad_error *err)
{
    size_t n;
    const char *field;
    enum sarhad_status s;

    if (named(c, "NAME_ORIGINAL_SCRIPT")) {
        n = text_of(buf, cap, c);
        field = "NAME_ORIGINAL_SCRIPT";
    } else if (named(c, "INDIVIDUAL_ALIAS")) {
        n = text_of(buf, cap, child(c, "ALIAS_NAME"));
        field = "ALIAS_NAME";
        e->alias_count += n > 0;
    } else if (named(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
        return add_birth(e, c, err);
    } else if (named(c, "NATIONALITY")) {
        add_nationalities(e, c, buf, cap);
        return SARHAD_OK;
    } else if (named(c, "GENDER")) {
        text_of(buf, cap, c);
        e->sex = 0;
        if (strcasecmp(buf, "Male") == 0)
            e->sex = 'M';
        else if (strcasecmp(buf, "Female") == 0)
            e->sex = 'F';
        return SARHAD_OK;
    } else if (named(c, "COMMENTS1")) {
        text_of(buf, cap, c);
        father_from_comments(e, buf);
        return SARHAD_OK;
    } else {
        return SARHAD_OK;
    }
    if (n == 0)
        return SARHAD_OK;
    s = sarhad__entry_add_name(e, buf, n, err);
    if (s != SARHAD_OK)
        return fail_node(err, s, c, field,
                         s == SARHAD_ETOOBIG ? "too many or too long names"
                                             : "a name that is not valid text");
    return SARHAD_OK;
}

/* One INDIVIDUAL of the list into e: its reference number, names, dates
 * of birth, nationalities, sex and father's name. */
static enum sarhad_status
read_individual(struct sarhad_watchlist_entry *e, const xmlNode *ind, char *buf,
                size_t cap, struct sarhad_error *err)
{
    enum sarhad_status s;

    memset(e, 0, sizeof(*e));
    if (text_of(e->id, sizeof(e->id), child(ind, "REFERENCE_NUMBER")) == 0 &&
        text_of(e->id, sizeof(e->id), child(ind, "DATAID")) == 0)
        return fail_node(err, SARHAD_EFORMAT, ind, "REFERENCE_NUMBER",
                         "an individual without a reference number");
    s = read_main_name(e, ind, buf, cap, err);
    for (const xmlNode *c = ind->children; c != NULL && s == SARHAD_OK;
         c = c->next)
        s = read_detail(e, c, buf, cap, err);
    return s;
}

enum sarhad_status
sarhad__watchlist_un(const char *data, size_t len, sarhad__entry_fn fn,
                     void *ctx, struct sarhad_error *err)
{
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    xmlDoc *doc;
    const xmlNode *root, *inds;
    struct sarhad_watchlist_entry *e;
    char *buf;
    enum sarhad_status s = SARHAD_OK;
    size_t count = 0;

    if (len > SARHAD_WL_MAX_INPUT || len > (size_t)INT32_MAX)
        return sarhad__fail(err, SARHAD_ETOOBIG, "xml", SIZE_MAX,
                            "a list is at most %u bytes", SARHAD_WL_MAX_INPUT);
    doc = xmlReadMemory(data, (int)len, "list.xml", NULL, options);
    if (doc == NULL) {
        const xmlError *x = xmlGetLastError();
        return sarhad__fail_at(
            err, SARHAD_EFORMAT, "xml", x != NULL ? (unsigned)x->line : 0,
            x != NULL ? (unsigned)x->int2 : 0, "not well-formed XML");
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || !named(root, "CONSOLIDATED_LIST")) {
        xmlFreeDoc(doc);
        return sarhad__fail_at(err, SARHAD_EFORMAT, "xml", 1, 0,
                               "not a UN consolidated list "
                               "(CONSOLIDATED_LIST expected)");
    }
    e = sarhad__malloc(sizeof(*e));
    buf = sarhad__malloc(TEXT_BUF);
    if (e == NULL || buf == NULL) {
        sarhad__free(e);
        sarhad__free(buf);
        xmlFreeDoc(doc);
        return sarhad__fail(err, SARHAD_ENOMEM, "xml", SIZE_MAX, NULL);
    }
    inds = child(root, "INDIVIDUALS");
    for (const xmlNode *c = inds != NULL ? inds->children : NULL;
         c != NULL && s == SARHAD_OK; c = c->next) {
        if (!named(c, "INDIVIDUAL"))
            continue;
        if (++count > SARHAD_WL_MAX_ENTRIES) {
            s = fail_node(err, SARHAD_ETOOBIG, c, "INDIVIDUAL",
                          "too many individuals");
            break;
        }
        s = read_individual(e, c, buf, TEXT_BUF, err);
        if (s == SARHAD_OK && fn(ctx, e) != 0)
            break;
    }
    sarhad__free(e);
    sarhad__free(buf);
    xmlFreeDoc(doc);
    return s;
}
