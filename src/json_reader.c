/* json_reader.c — the -f json reader: pandoc's JSON AST (pandoc-api 1.22 and 1.23) into the
 * document model, through its own JSON parser. Bad input gives one error with its line and
 * column (and a JSON path for a wrong shape); it must never crash, and never recurse deeper
 * than the parser's nesting limit, which opt->max_depth sets. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- a JSON parser: one pass, no recursion, values in one array ---- */

typedef enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jtype;

/* A JSON value, small so that a big document's values stay few pages: offsets and indices
 * are 32 bits (read_json refuses 4 GB of input). Strings and keys are where their text is: in
 * the input when they have no escapes, else in the parser's scratch buffer (esc/kesc say
 * which). Index 0 is "none". */
typedef struct jv {
    uint8_t type;
    bool esc, kesc;
    uint32_t next, first, n; /* siblings and children by index */
    uint32_t off, len;       /* the string's text; a number's source */
    uint32_t koff, klen;     /* an object member's key */
    uint32_t start, end;     /* the value's source bytes */
} jv;

typedef struct jparse {
    const char *s;
    size_t n, i;
    /* where each line starts: a value's line and column come from its start when asked for
       (for every node, but four bytes a line beat eight a value) */
    uint32_t *bols;
    size_t nbols, capbols;
    jv *v;
    size_t nv, cap;
    nc_buf scratch;
    size_t max_nesting;
    const char *err;
    size_t err_at;
    bool vmapped; /* v is from nc_big_map, not malloc */
} jparse;

static void free_values(jparse *p)
{
    if (p->vmapped)
        nc_big_unmap(p->v, p->cap * sizeof *p->v);
    else
        free(p->v);
}

/* The line and column of the value that starts at byte off. */
static nc_pos vpos(const jparse *p, const char *file, uint32_t off)
{
    size_t lo = 0, hi = p->nbols; /* the last line start at or before off is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->bols[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (nc_pos){file, (uint32_t)lo + 1, off - p->bols[lo] + 1};
}

static uint32_t jnew(jparse *p, jtype t)
{
    if (p->nv == p->cap) {
        /* Pandoc's JSON has about one value per 11 bytes, so the table seldom has to move (a
           move costs it twice over); room never touched costs nothing. */
        size_t cap = p->cap ? p->cap * 2 : 1024 + p->n / 6;
        jv *big = nc_big_map(cap * sizeof *p->v);
        if (!big && !p->vmapped) {
            p->v = nc_xrealloc(p->v, cap * sizeof *p->v);
        } else {
            jv *nv = big ? big : nc_xmalloc(cap * sizeof *p->v);
            if (p->nv)
                memcpy(nv, p->v, p->nv * sizeof *p->v);
            free_values(p);
            p->v = nv;
            p->vmapped = big != NULL;
        }
        p->cap = cap;
    }
    jv *v = &p->v[p->nv];
    memset(v, 0, sizeof *v);
    v->type = (uint8_t)t;
    v->start = (uint32_t)p->i;
    return (uint32_t)p->nv++;
}

static int jerr(jparse *p, const char *msg)
{
    if (!p->err) {
        p->err = msg;
        p->err_at = p->i;
    }
    return -1;
}

static void skip_ws(jparse *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\n') {
            if (p->nbols == p->capbols) {
                p->capbols = 2 * p->capbols;
                p->bols = nc_xrealloc(p->bols, p->capbols * sizeof *p->bols);
            }
            p->bols[p->nbols++] = (uint32_t)++p->i;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p->i++;
        } else {
            break;
        }
    }
}

static int hex4(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static bool plain_byte(unsigned char c)
{
    return c != '"' && c != '\\' && c >= 0x20 && c < 0x80;
}

/* A string at p->i (on its quote): its text's place in off and len, esc when it had escapes and
 * was unescaped into the scratch buffer. from is the start of the run not yet copied. */
static int jstring(jparse *p, size_t *off, size_t *len, bool *esc)
{
    size_t i = ++p->i, from = i;
    *esc = false;
    for (;;) {
        while (i < p->n && plain_byte((unsigned char)p->s[i]))
            i++;
        if (i >= p->n) {
            p->i = i;
            return jerr(p, "premature end of input in a string");
        }
        unsigned char c = (unsigned char)p->s[i];
        if (c >= 0x80) {
            int32_t cp;
            int k = nc_utf8_decode(p->s + i, p->n - i, &cp);
            if (!k) {
                p->i = i;
                return jerr(p, "invalid UTF-8 in a string");
            }
            i += (size_t)k;
            continue;
        }
        if (c < 0x20) {
            p->i = i;
            return jerr(p, "a control character in a string (it must be escaped)");
        }
        if (c == '"') {
            if (!*esc) {
                *off = from;
                *len = i - from;
            } else {
                nc_buf_put(&p->scratch, p->s + from, i - from);
                *len = p->scratch.len - *off;
            }
            p->i = i + 1;
            return 0;
        }
        if (!*esc) {
            *esc = true;
            *off = p->scratch.len;
        }
        nc_buf_put(&p->scratch, p->s + from, i - from);
        if (i + 1 >= p->n) {
            p->i = i;
            return jerr(p, "premature end of input in a string");
        }
        char e = p->s[i + 1], sub = 0;
        switch (e) {
        case '"': sub = '"'; break;
        case '\\': sub = '\\'; break;
        case '/': sub = '/'; break;
        case 'b': sub = '\b'; break;
        case 'f': sub = '\f'; break;
        case 'n': sub = '\n'; break;
        case 'r': sub = '\r'; break;
        case 't': sub = '\t'; break;
        case 'u': {
            uint32_t u, lo;
            if (i + 6 > p->n || hex4(p->s + i + 2, &u)) {
                p->i = i;
                return jerr(p, "invalid \\u escape");
            }
            i += 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (i + 6 > p->n || p->s[i] != '\\' || p->s[i + 1] != 'u' ||
                    hex4(p->s + i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    p->i = i;
                    return jerr(p, "invalid \\u escape: a lone surrogate");
                }
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                p->i = i;
                return jerr(p, "invalid \\u escape: a lone surrogate");
            } else if (u == 0) {
                p->i = i;
                return jerr(p, "\\u0000 in a string is not supported");
            }
            nc_utf8_encode(&p->scratch, (int32_t)u);
            break;
        }
        default:
            p->i = i;
            return jerr(p, "invalid escape in a string");
        }
        if (sub) {
            nc_buf_putc(&p->scratch, sub);
            i += 2;
        }
        from = i;
    }
}

static int jnumber(jparse *p)
{
    size_t i = p->i;
    if (i < p->n && p->s[i] == '-')
        i++;
    if (i < p->n && p->s[i] == '0')
        i++;
    else if (i < p->n && p->s[i] >= '1' && p->s[i] <= '9')
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
    else
        return jerr(p, "invalid number");
    if (i < p->n && p->s[i] == '.') {
        size_t d = ++i;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
        if (i == d) {
            p->i = i;
            return jerr(p, "invalid number");
        }
    }
    if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->n && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        size_t d = i;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
        if (i == d) {
            p->i = i;
            return jerr(p, "invalid number");
        }
    }
    p->i = i;
    return 0;
}

static bool literal(jparse *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0)
        return false;
    p->i += k;
    return true;
}

typedef struct frame {
    uint32_t v, last; /* the container, its last child so far */
} frame;

/* Parses the whole input; the root is value 1. */
static int jparse_all(jparse *p)
{
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    int rc = -1;
    jnew(p, J_NULL); /* index 0: none */
    skip_ws(p);
    for (;;) {
        /* a value is expected here; in an object, after its key */
        size_t key_off = 0, key_len = 0;
        bool kesc = false, keyed = false;
        if (depth && p->v[stack[depth - 1].v].type == J_OBJECT) {
            if (p->i >= p->n || p->s[p->i] != '"') {
                jerr(p, p->i >= p->n ? "premature end of input" : "a string key expected");
                goto out;
            }
            if (jstring(p, &key_off, &key_len, &kesc))
                goto out;
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') {
                jerr(p, p->i >= p->n ? "premature end of input" : "':' expected");
                goto out;
            }
            p->i++;
            skip_ws(p);
            keyed = true;
        }
        if (p->i >= p->n) {
            jerr(p, "premature end of input");
            goto out;
        }
        char c = p->s[p->i];
        uint32_t v;
        bool open = false;
        if (c == '{' || c == '[') {
            v = jnew(p, c == '{' ? J_OBJECT : J_ARRAY);
            p->i++;
            open = true;
        } else if (c == '"') {
            v = jnew(p, J_STRING);
            size_t off = 0, len = 0;
            bool esc;
            if (jstring(p, &off, &len, &esc))
                goto out;
            p->v[v].off = (uint32_t)off;
            p->v[v].len = (uint32_t)len;
            p->v[v].esc = esc;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            v = jnew(p, J_NUMBER);
            if (jnumber(p))
                goto out;
            p->v[v].off = p->v[v].start;
            p->v[v].len = (uint32_t)(p->i - p->v[v].start);
        } else if (c == 't' || c == 'f' || c == 'n') {
            v = jnew(p, c == 't' ? J_TRUE : c == 'f' ? J_FALSE : J_NULL);
            if (!literal(p, c == 't' ? "true" : c == 'f' ? "false" : "null")) {
                jerr(p, "invalid literal");
                goto out;
            }
        } else {
            jerr(p, "a value expected");
            goto out;
        }
        p->v[v].end = (uint32_t)p->i;
        if (keyed) {
            p->v[v].koff = (uint32_t)key_off;
            p->v[v].klen = (uint32_t)key_len;
            p->v[v].kesc = kesc;
        }
        if (depth) {
            frame *f = &stack[depth - 1];
            if (f->last)
                p->v[f->last].next = v;
            else
                p->v[f->v].first = v;
            f->last = v;
            p->v[f->v].n++;
        }
        if (open) {
            if (depth >= p->max_nesting) {
                p->i--;
                jerr(p, "nesting too deep");
                goto out;
            }
            if (depth == cap) {
                cap = cap ? cap * 2 : 64;
                stack = nc_xrealloc(stack, cap * sizeof *stack);
            }
            stack[depth++] = (frame){v, 0};
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == (c == '{' ? '}' : ']')) {
                p->i++;
                p->v[v].end = (uint32_t)p->i;
                depth--;
            } else {
                continue;
            }
        }
        /* after a value: close containers, or go on to the next element */
        for (;;) {
            skip_ws(p);
            if (!depth) {
                if (p->i < p->n) {
                    jerr(p, "end of input expected");
                    goto out;
                }
                rc = 0;
                goto out;
            }
            jv *par = &p->v[stack[depth - 1].v];
            char close = par->type == J_OBJECT ? '}' : ']';
            if (p->i >= p->n) {
                jerr(p, par->type == J_OBJECT ? "'}' expected near end of input"
                                              : "']' expected near end of input");
                goto out;
            }
            if (p->s[p->i] == ',') {
                p->i++;
                skip_ws(p);
                break;
            }
            if (p->s[p->i] != close) {
                jerr(p, par->type == J_OBJECT ? "',' or '}' expected" : "',' or ']' expected");
                goto out;
            }
            p->i++;
            par->end = (uint32_t)p->i;
            depth--;
        }
    }
out:
    free(stack);
    return rc;
}

/* ---- pandoc's AST from the values ---- */

typedef struct rd {
    nc_doc *doc;
    const jparse *p;
    nc_pos pos; /* the input file, and the line:col of the value being read */
    int max_depth, depth;
    const jv *bad; /* the value the first error is about */
    nc_buf why;
    nc_buf text; /* a run of Str and Space being joined into one Str */
    nc_pos text_pos; /* where that run starts */
    const nc_node *caption; /* the last Div marked as a figure's caption */
} rd;

static int fail(rd *r, const jv *v, const char *fmt, ...) NC_PRINTF(3, 4);

static int fail(rd *r, const jv *v, const char *fmt, ...)
{
    if (r->bad || r->why.len)
        return -1;
    r->bad = v;
    va_list ap;
    va_start(ap, fmt);
    nc_buf_vprintf(&r->why, fmt, ap);
    va_end(ap);
    return -1;
}

static bool is_type(const jv *v, jtype t)
{
    return v && v->type == t;
}

static size_t asize(const jv *v)
{
    return v ? v->n : 0;
}

static const jv *kid(const rd *r, const jv *v)
{
    return v && v->first ? &r->p->v[v->first] : NULL;
}

static const jv *sib(const rd *r, const jv *v)
{
    return v->next ? &r->p->v[v->next] : NULL;
}

static const jv *nth(const rd *r, const jv *a, size_t i)
{
    const jv *e = is_type(a, J_ARRAY) ? kid(r, a) : NULL;
    while (e && i--)
        e = sib(r, e);
    return e;
}

/* The text of a string value (not NUL-terminated), or of a member's key. */
static const char *text_of(const rd *r, const jv *v)
{
    return (v->esc ? r->p->scratch.ptr : r->p->s) + v->off;
}

static const char *key_of(const rd *r, const jv *v)
{
    return (v->kesc ? r->p->scratch.ptr : r->p->s) + v->koff;
}

static const jv *member(const rd *r, const jv *o, const char *key)
{
    size_t n = strlen(key);
    if (!is_type(o, J_OBJECT))
        return NULL;
    for (const jv *e = kid(r, o); e; e = sib(r, e))
        if (e->klen == n && memcmp(key_of(r, e), key, n) == 0)
            return e;
    return NULL;
}

static bool str_is(const rd *r, const jv *v, const char *lit)
{
    size_t n = strlen(lit);
    return is_type(v, J_STRING) && v->len == n && memcmp(text_of(r, v), lit, n) == 0;
}

static bool number(const rd *r, const jv *v, double *out)
{
    char tmp[64];
    if (!is_type(v, J_NUMBER) || v->len >= sizeof tmp)
        return false;
    memcpy(tmp, r->p->s + v->off, v->len);
    tmp[v->len] = '\0';
    *out = strtod(tmp, NULL);
    return true;
}

static const char *type_name(const jv *v)
{
    switch (v ? (jtype)v->type : J_NULL) {
    case J_OBJECT: return "an object";
    case J_ARRAY: return "an array";
    case J_STRING: return "a string";
    case J_NUMBER: return "a number";
    case J_TRUE:
    case J_FALSE: return "a boolean";
    default: return "null";
    }
}

/* The array v, which must have n elements (SIZE_MAX: any number). */
static const jv *array(rd *r, const jv *v, size_t n, const char *what)
{
    if (!is_type(v, J_ARRAY)) {
        fail(r, v, "%s: expected an array, found %s", what, type_name(v));
        return NULL;
    }
    if (n != SIZE_MAX && asize(v) != n) {
        fail(r, v, "%s: expected %zu elements, found %zu", what, n, asize(v));
        return NULL;
    }
    return v;
}

static const char *string(rd *r, const jv *v, size_t *len, const char *what)
{
    if (!is_type(v, J_STRING)) {
        fail(r, v, "%s: expected a string, found %s", what, type_name(v));
        return NULL;
    }
    *len = v->len;
    return text_of(r, v);
}

static const char *arena_string(rd *r, const jv *v, const char *what)
{
    size_t len;
    const char *s = string(r, v, &len, what);
    return s ? nc_doc_strndup(r->doc, s, len) : NULL;
}

static int integer(rd *r, const jv *v, long lo, long hi, const char *what, int *out)
{
    double d;
    if (!number(r, v, &d))
        return fail(r, v, "%s: expected a number, found %s", what, type_name(v));
    /* the range first: converting a double past long's range is undefined */
    if (!(d >= (double)lo && d <= (double)hi) || d != (double)(long)d)
        return fail(r, v, "%s: expected a whole number from %ld to %ld", what, lo, hi);
    *out = (int)d;
    return 0;
}

/* {"t": NAME, "c": ...}: NAME (copied into name, cut at 31 bytes: no kind is that long), and
 * the contents in *c (NULL when absent). */
static const char *tagged(rd *r, const jv *v, const jv **c, const char *what, char *name)
{
    if (!is_type(v, J_OBJECT)) {
        fail(r, v, "%s: expected an object with \"t\", found %s", what, type_name(v));
        return NULL;
    }
    const jv *t = member(r, v, "t");
    if (!is_type(t, J_STRING)) {
        fail(r, v, "%s: expected an object with a string \"t\"", what);
        return NULL;
    }
    *c = member(r, v, "c");
    size_t n = t->len < 31 ? t->len : 31;
    memcpy(name, text_of(r, t), n);
    name[n] = '\0';
    return name;
}

/* The name of a {"t": NAME} without contents that is one of names[0..n). */
static int enum_value(rd *r, const jv *v, const char *const *names, int n, const char *what)
{
    const jv *c;
    char tname[32];
    const char *t = tagged(r, v, &c, what, tname);
    if (!t)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(t, names[i]) == 0)
            return i;
    fail(r, v, "%s: unknown value \"%s\"", what, t);
    return -1;
}

/* The value of a key pandoc does not know, which our writer adds. */
static const jv *extra(const rd *r, const jv *v, const char *key)
{
    const jv *e = member(r, v, key);
    return is_type(e, J_STRING) ? e : NULL;
}

static int attr(rd *r, nc_node *n, const jv *v)
{
    const jv *a = array(r, v, 3, "Attr");
    if (!a)
        return -1;
    size_t idlen = 0;
    const char *id = string(r, nth(r, a, 0), &idlen, "Attr identifier");
    const jv *cls = array(r, nth(r, a, 1), SIZE_MAX, "Attr classes");
    const jv *kvs = array(r, nth(r, a, 2), SIZE_MAX, "Attr key-value pairs");
    if (!id || !cls || !kvs)
        return -1;
    size_t nc = asize(cls), nkv = asize(kvs);
    if (!idlen && !nc && !nkv)
        return 0;
    nc_attr *at = nc_doc_alloc(r->doc, sizeof *at);
    memset(at, 0, sizeof *at);
    at->id = nc_doc_strndup(r->doc, id, idlen);
    at->classes = nc_doc_alloc(r->doc, (nc ? nc : 1) * sizeof *at->classes);
    for (size_t i = 0; i < nc; i++)
        if (!(at->classes[i] = arena_string(r, nth(r, cls, i), "class")))
            return -1;
    at->nclasses = nc;
    at->keys = nc_doc_alloc(r->doc, (nkv ? nkv : 1) * sizeof *at->keys);
    at->values = nc_doc_alloc(r->doc, (nkv ? nkv : 1) * sizeof *at->values);
    for (size_t i = 0; i < nkv; i++) {
        const jv *kv = array(r, nth(r, kvs, i), 2, "Attr key-value pair");
        if (!kv || !(at->keys[i] = arena_string(r, nth(r, kv, 0), "attribute name")) ||
            !(at->values[i] = arena_string(r, nth(r, kv, 1), "attribute value")))
            return -1;
    }
    at->nkv = nkv;
    n->attr = at;
    return 0;
}

static int blocks(rd *r, const jv *v, nc_node *parent);
static int inlines(rd *r, const jv *v, nc_node *parent);

static nc_node *add(rd *r, nc_node *parent, nc_kind kind)
{
    nc_node *n = nc_node_new(r->doc, kind, &r->pos);
    nc_node_append(parent, n);
    return n;
}

static int enter(rd *r, const jv *v)
{
    r->pos = vpos(r->p, r->pos.file, v->start);
    if (++r->depth > r->max_depth)
        return fail(r, v, "nesting deeper than %d levels (see --max-depth)", r->max_depth);
    return 0;
}

static void flush_text(rd *r, nc_node *parent)
{
    if (!r->text.len)
        return;
    nc_node *s = add(r, parent, NC_STR);
    s->pos = r->text_pos;
    nc_node_set_text(r->doc, s, r->text.ptr, r->text.len);
    nc_buf_clear(&r->text);
}

static int text_node(rd *r, nc_node *n, const jv *c, const char *what)
{
    size_t len;
    const char *s = string(r, c, &len, what);
    if (!s)
        return -1;
    nc_node_set_text(r->doc, n, s, len);
    return 0;
}

/* [Attr, [Inline], [url, title]] */
static int link(rd *r, nc_node *n, const jv *c, const char *what)
{
    const jv *a = array(r, c, 3, what);
    if (!a || attr(r, n, nth(r, a, 0)) || inlines(r, nth(r, a, 1), n))
        return -1;
    const jv *t = array(r, nth(r, a, 2), 2, "Target");
    if (!t || !(n->url = arena_string(r, nth(r, t, 0), "URL")) ||
        !(n->title = arena_string(r, nth(r, t, 1), "title")))
        return -1;
    return 0;
}

static const char *const quote_names[] = {"SingleQuote", "DoubleQuote"};
static const char *const math_names[] = {"InlineMath", "DisplayMath"};

typedef struct simple {
    const char *name;
    nc_kind kind;
} simple;

static const simple containers[] = {
    {"Emph", NC_EMPH},           {"Strong", NC_STRONG},       {"Underline", NC_UNDERLINE},
    {"Strikeout", NC_STRIKEOUT}, {"Superscript", NC_SUPERSCRIPT}, {"Subscript", NC_SUBSCRIPT},
    {"SmallCaps", NC_SMALL_CAPS},
};

static int inline_node(rd *r, const jv *v, nc_node *parent)
{
    const jv *c;
    char tname[32];
    const char *t = tagged(r, v, &c, "Inline", tname);
    if (!t)
        return -1;
    if (strcmp(t, "Str") == 0 || strcmp(t, "Space") == 0) {
        if (!r->text.len)
            r->text_pos = vpos(r->p, r->pos.file, v->start);
        if (t[1] == 'p') {
            nc_buf_putc(&r->text, ' ');
            return 0;
        }
        size_t len;
        const char *s = string(r, c, &len, "Str");
        if (!s)
            return -1;
        nc_buf_put(&r->text, s, len);
        return 0;
    }
    flush_text(r, parent);
    if (enter(r, v))
        return -1;
    int rc = 0;
    nc_node *n;
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcmp(t, containers[i].name) == 0) {
            rc = inlines(r, c, add(r, parent, containers[i].kind));
            goto done;
        }
    if (strcmp(t, "SoftBreak") == 0) {
        add(r, parent, NC_SOFT_BREAK);
    } else if (strcmp(t, "LineBreak") == 0) {
        add(r, parent, NC_LINE_BREAK);
    } else if (strcmp(t, "Code") == 0) {
        const jv *a = array(r, c, 2, "Code");
        n = add(r, parent, NC_CODE);
        rc = !a || attr(r, n, nth(r, a, 0)) ||
                     text_node(r, n, nth(r, a, 1), "Code text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "Link") == 0 || strcmp(t, "Image") == 0) {
        rc = link(r, add(r, parent, t[0] == 'L' ? NC_LINK : NC_IMAGE), c, t);
    } else if (strcmp(t, "Note") == 0) {
        n = add(r, parent, NC_NOTE);
        const jv *label = extra(r, v, "noteconv-label");
        if (label)
            n->label = nc_doc_strndup(r->doc, text_of(r, label), label->len);
        rc = blocks(r, c, n);
    } else if (strcmp(t, "Span") == 0) {
        const jv *a = array(r, c, 2, "Span");
        n = add(r, parent, NC_SPAN);
        rc = !a || attr(r, n, nth(r, a, 0)) || inlines(r, nth(r, a, 1), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "RawInline") == 0) {
        const jv *a = array(r, c, 2, "RawInline");
        n = add(r, parent, NC_RAW_INLINE);
        rc = !a || !(n->format = arena_string(r, nth(r, a, 0), "raw format")) ||
                     text_node(r, n, nth(r, a, 1), "RawInline text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "Math") == 0) {
        const jv *a = array(r, c, 2, "Math");
        n = add(r, parent, NC_MATH);
        int m = a ? enum_value(r, nth(r, a, 0), math_names, 2, "MathType") : -1;
        rc = m < 0 || text_node(r, n, nth(r, a, 1), "Math text") ? -1 : 0;
        n->math = m == 1 ? NC_MATH_DISPLAY : NC_MATH_INLINE;
    } else if (strcmp(t, "Quoted") == 0) {
        const jv *a = array(r, c, 2, "Quoted");
        n = add(r, parent, NC_QUOTED);
        int q = a ? enum_value(r, nth(r, a, 0), quote_names, 2, "QuoteType") : -1;
        n->quote = q == 1 ? NC_QUOTE_DOUBLE : NC_QUOTE_SINGLE;
        rc = q < 0 || inlines(r, nth(r, a, 1), n) ? -1 : 0;
    } else if (strcmp(t, "Cite") == 0) {
        /* the citations are kept as JSON: nothing in noteconv reads them, writers give them
           back to pandoc as they came */
        const jv *a = array(r, c, 2, "Cite");
        const jv *cites = a ? array(r, nth(r, a, 0), SIZE_MAX, "citations") : NULL;
        n = add(r, parent, NC_CITE);
        if (!cites)
            rc = -1;
        else {
            nc_node_set_text(r->doc, n, r->p->s + cites->start, cites->end - cites->start);
            rc = inlines(r, nth(r, a, 1), n);
        }
    } else {
        rc = fail(r, v, "unknown Inline kind \"%s\"", t);
    }
done:
    r->depth--;
    return rc;
}

static int inlines(rd *r, const jv *v, nc_node *parent)
{
    if (!array(r, v, SIZE_MAX, "[Inline]"))
        return -1;
    for (const jv *e = kid(r, v); e; e = sib(r, e)) {
        if (inline_node(r, e, parent))
            return -1;
    }
    flush_text(r, parent);
    return 0;
}

/* A pandoc 2 implicit figure: a Para of one Image whose title starts with "fig:"; its alt
 * text is the caption. */
static void implicit_figure(rd *r, nc_node *para)
{
    nc_node *img = para->first;
    if (!img || img->next || img->kind != NC_IMAGE || !img->title ||
        strncmp(img->title, "fig:", 4) != 0)
        return;
    img->title += 4;
    nc_node *fig = nc_node_new(r->doc, NC_FIGURE, &r->pos);
    nc_node *cap = nc_node_new(r->doc, NC_CAPTION, &r->pos);
    nc_node *cp = nc_node_new(r->doc, NC_PLAIN, &r->pos);
    for (nc_node *k = img->first; k; k = k->next)
        nc_node_append(cp, nc_node_copy(r->doc, k));
    nc_node_append(cap, cp);
    nc_node_append(fig, cap);
    nc_node_insert_before(para, fig);
    nc_node_unlink(para);
    para->kind = NC_PLAIN;
    nc_node_append(fig, para);
}

/* pandoc writes a GFM task item as a first Plain or Para starting with ☐ or ☒ and a space. */
static void task_item(nc_node *item)
{
    nc_node *p = item->first;
    if (!p || (p->kind != NC_PLAIN && p->kind != NC_PARA))
        return;
    nc_node *s = p->first;
    if (!s || s->kind != NC_STR || s->len < 3)
        return;
    nc_task task;
    if (memcmp(s->text, "\xE2\x98\x90", 3) == 0)
        task = NC_TASK_OPEN;
    else if (memcmp(s->text, "\xE2\x98\x92", 3) == 0)
        task = NC_TASK_DONE;
    else
        return;
    if (s->len == 3) {
        nc_node_unlink(s);
        if (!p->first)
            nc_node_unlink(p);
    } else if (s->text[3] == ' ') {
        s->text += 4;
        s->len -= 4;
        if (!s->len)
            nc_node_unlink(s);
    } else {
        return;
    }
    item->task = task;
}

static int list_items(rd *r, const jv *v, nc_node *list)
{
    if (!array(r, v, SIZE_MAX, "list items"))
        return -1;
    for (const jv *e = kid(r, v); e; e = sib(r, e)) {
        nc_node *item = add(r, list, NC_LIST_ITEM);
        if (blocks(r, e, item))
            return -1;
        task_item(item);
    }
    return 0;
}

static const char *const align_names[] = {"AlignDefault", "AlignLeft", "AlignRight",
                                          "AlignCenter"};

/* [[Attr, [Cell]]]: the rows; head marks an intermediate head of a body */
static int rows(rd *r, const jv *v, nc_node *sec, bool head)
{
    if (!array(r, v, SIZE_MAX, "table rows"))
        return -1;
    for (const jv *e = kid(r, v); e; e = sib(r, e)) {
        const jv *row = array(r, e, 2, "Row");
        if (!row)
            return -1;
        nc_node *rn = add(r, sec, NC_TABLE_ROW);
        rn->head = head;
        const jv *cells = array(r, nth(r, row, 1), SIZE_MAX, "Row cells");
        if (attr(r, rn, nth(r, row, 0)) || !cells)
            return -1;
        for (const jv *ce = kid(r, cells); ce; ce = sib(r, ce)) {
            const jv *cell = array(r, ce, 5, "Cell");
            if (!cell)
                return -1;
            nc_node *cn = add(r, rn, NC_TABLE_CELL);
            int al = enum_value(r, nth(r, cell, 1), align_names, 4, "Alignment");
            if (attr(r, cn, nth(r, cell, 0)) || al < 0 ||
                integer(r, nth(r, cell, 2), 1, 65535, "RowSpan", &cn->rowspan) ||
                integer(r, nth(r, cell, 3), 1, 65535, "ColSpan", &cn->colspan) ||
                blocks(r, nth(r, cell, 4), cn))
                return -1;
            cn->align = (nc_align)al;
        }
    }
    return 0;
}

/* [Maybe ShortCaption, [Block]]: an NC_CAPTION when there is anything in it */
static int caption(rd *r, const jv *v, nc_node *parent)
{
    const jv *a = array(r, v, 2, "Caption");
    if (!a)
        return -1;
    const jv *bl = array(r, nth(r, a, 1), SIZE_MAX, "Caption blocks");
    if (!bl)
        return -1;
    if (!asize(bl))
        return 0;
    return blocks(r, bl, add(r, parent, NC_CAPTION));
}

static int table(rd *r, nc_node *t, const jv *c)
{
    const jv *a = array(r, c, 6, "Table");
    if (!a || attr(r, t, nth(r, a, 0)) || caption(r, nth(r, a, 1), t))
        return -1;
    const jv *specs = array(r, nth(r, a, 2), SIZE_MAX, "ColSpecs");
    if (!specs)
        return -1;
    t->ncols = asize(specs);
    t->cols = nc_doc_alloc(r->doc, (t->ncols ? t->ncols : 1) * sizeof *t->cols);
    for (size_t i = 0; i < t->ncols; i++) {
        const jv *cs = array(r, nth(r, specs, i), 2, "ColSpec");
        int al = cs ? enum_value(r, nth(r, cs, 0), align_names, 4, "Alignment") : -1;
        if (al < 0)
            return -1;
        t->cols[i].align = (nc_align)al;
        t->cols[i].width = 0;
        const jv *wc;
        char wtname[32];
    const char *wt = tagged(r, nth(r, cs, 1), &wc, "ColWidth", wtname);
        if (!wt)
            return -1;
        if (strcmp(wt, "ColWidth") == 0) {
            if (!number(r, wc, &t->cols[i].width))
                return fail(r, nth(r, cs, 1), "ColWidth: expected a number");
            /* a fraction of the table's width; writers turn it into whole percents */
            if (!(t->cols[i].width >= 0 && t->cols[i].width <= 1))
                return fail(r, nth(r, cs, 1), "ColWidth: expected a fraction from 0 to 1");
        } else if (strcmp(wt, "ColWidthDefault") != 0) {
            return fail(r, nth(r, cs, 1), "ColWidth: unknown value \"%s\"", wt);
        }
    }
    const jv *head = array(r, nth(r, a, 3), 2, "TableHead");
    nc_node *hn = add(r, t, NC_TABLE_HEAD);
    if (!head || attr(r, hn, nth(r, head, 0)) ||
        rows(r, nth(r, head, 1), hn, false))
        return -1;
    const jv *bodies = array(r, nth(r, a, 4), SIZE_MAX, "TableBodies");
    if (!bodies)
        return -1;
    for (const jv *e = kid(r, bodies); e; e = sib(r, e)) {
        const jv *body = array(r, e, 4, "TableBody");
        nc_node *bn = add(r, t, NC_TABLE_BODY);
        if (!body || attr(r, bn, nth(r, body, 0)) ||
            integer(r, nth(r, body, 1), 0, 65535, "RowHeadColumns", &bn->rowhead_cols) ||
            rows(r, nth(r, body, 2), bn, true) ||
            rows(r, nth(r, body, 3), bn, false))
            return -1;
    }
    const jv *foot = array(r, nth(r, a, 5), 2, "TableFoot");
    nc_node *fn = add(r, t, NC_TABLE_FOOT);
    if (!foot || attr(r, fn, nth(r, foot, 0)) ||
        rows(r, nth(r, foot, 1), fn, false))
        return -1;
    return 0;
}

/* A Div that our writer made for a figure under pandoc-api 1.22: its first class is the
 * "figure" that was added, its last block the caption. */
static void marked_figure(rd *r, nc_node *n)
{
    n->kind = NC_FIGURE;
    nc_attr *a = n->attr;
    if (a && a->nclasses && strcmp(a->classes[0], "figure") == 0) {
        a->classes++;
        a->nclasses--;
    }
    if (n->last && n->last == r->caption) {
        nc_node *cap = n->last;
        nc_node_unlink(cap);
        cap->kind = NC_CAPTION;
        cap->attr = NULL;
        nc_node_prepend(n, cap);
    }
}

static const char *const style_names[] = {"DefaultStyle", "Example",    "Decimal",
                                          "LowerRoman",   "UpperRoman", "LowerAlpha",
                                          "UpperAlpha"};
static const char *const delim_names[] = {"DefaultDelim", "Period", "OneParen", "TwoParens"};

static int block_node(rd *r, const jv *v, nc_node *parent)
{
    const jv *c;
    char tname[32];
    const char *t = tagged(r, v, &c, "Block", tname);
    if (!t)
        return -1;
    if (enter(r, v))
        return -1;
    int rc = 0;
    nc_node *n;
    if (strcmp(t, "Para") == 0 || strcmp(t, "Plain") == 0) {
        n = add(r, parent, t[1] == 'a' ? NC_PARA : NC_PLAIN);
        rc = inlines(r, c, n);
        if (!rc && n->kind == NC_PARA)
            implicit_figure(r, n);
    } else if (strcmp(t, "Header") == 0) {
        const jv *a = array(r, c, 3, "Header");
        n = add(r, parent, NC_HEADER);
        rc = !a || integer(r, nth(r, a, 0), 1, 6, "Header level", &n->level) ||
                     attr(r, n, nth(r, a, 1)) || inlines(r, nth(r, a, 2), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "CodeBlock") == 0) {
        const jv *a = array(r, c, 2, "CodeBlock");
        n = add(r, parent, NC_CODE_BLOCK);
        rc = !a || attr(r, n, nth(r, a, 0)) ||
                     text_node(r, n, nth(r, a, 1), "CodeBlock text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "RawBlock") == 0) {
        const jv *a = array(r, c, 2, "RawBlock");
        n = add(r, parent, NC_RAW_BLOCK);
        rc = !a || !(n->format = arena_string(r, nth(r, a, 0), "raw format")) ||
                     text_node(r, n, nth(r, a, 1), "RawBlock text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "BulletList") == 0) {
        rc = list_items(r, c, add(r, parent, NC_BULLET_LIST));
    } else if (strcmp(t, "OrderedList") == 0) {
        const jv *a = array(r, c, 2, "OrderedList");
        const jv *la = a ? array(r, nth(r, a, 0), 3, "ListAttributes") : NULL;
        n = add(r, parent, NC_ORDERED_LIST);
        int st = la ? enum_value(r, nth(r, la, 1), style_names, 7, "ListNumberStyle")
                    : -1;
        int de = st >= 0 ? enum_value(r, nth(r, la, 2), delim_names, 4,
                                      "ListNumberDelim")
                         : -1;
        if (de < 0 || integer(r, nth(r, la, 0), -2147483647L, 2147483647L,
                              "list start", &n->start))
            rc = -1;
        else {
            n->style = (nc_list_style)st;
            n->delim = (nc_list_delim)de;
            rc = list_items(r, nth(r, a, 1), n);
        }
    } else if (strcmp(t, "BlockQuote") == 0) {
        rc = blocks(r, c, add(r, parent, NC_BLOCK_QUOTE));
    } else if (strcmp(t, "Div") == 0) {
        const jv *a = array(r, c, 2, "Div");
        n = add(r, parent, NC_DIV);
        const jv *kind = extra(r, v, "noteconv-kind");
        rc = !a || attr(r, n, nth(r, a, 0)) || blocks(r, nth(r, a, 1), n) ? -1
                                                                                           : 0;
        if (!rc && str_is(r, kind, "Figure"))
            marked_figure(r, n);
        else if (!rc && str_is(r, kind, "Caption"))
            r->caption = n; /* the figure around it takes it as its caption */
    } else if (strcmp(t, "Table") == 0) {
        rc = table(r, add(r, parent, NC_TABLE), c);
    } else if (strcmp(t, "Figure") == 0) {
        const jv *a = array(r, c, 3, "Figure");
        n = add(r, parent, NC_FIGURE);
        rc = !a || attr(r, n, nth(r, a, 0)) || caption(r, nth(r, a, 1), n) ||
                     blocks(r, nth(r, a, 2), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "HorizontalRule") == 0) {
        add(r, parent, NC_HORIZONTAL_RULE);
    } else if (strcmp(t, "LineBlock") == 0) {
        n = add(r, parent, NC_LINE_BLOCK);
        if (!array(r, c, SIZE_MAX, "LineBlock"))
            rc = -1;
        for (const jv *e = kid(r, c); e; e = sib(r, e)) {
            if (rc || (rc = inlines(r, e, add(r, n, NC_LINE))) != 0)
                break;
        }
    } else if (strcmp(t, "DefinitionList") == 0) {
        n = add(r, parent, NC_DEFINITION_LIST);
        if (!array(r, c, SIZE_MAX, "DefinitionList"))
            rc = -1;
        for (const jv *e = kid(r, c); e; e = sib(r, e)) {
            const jv *item = array(r, e, 2, "definition");
            const jv *defs = item ? array(r, nth(r, item, 1), SIZE_MAX,
                                              "definitions")
                                      : NULL;
            nc_node *it = add(r, n, NC_DEF_ITEM);
            if (!defs || inlines(r, nth(r, item, 0), add(r, it, NC_DEF_TERM))) {
                rc = -1;
                break;
            }
            for (const jv *d = kid(r, defs); d; d = sib(r, d)) {
                if ((rc = blocks(r, d, add(r, it, NC_DEF_DATA))) != 0)
                    break;
            }
            if (rc)
                break;
        }
    } else if (strcmp(t, "Null") == 0) {
        /* pandoc-api 1.22's empty block */
    } else {
        rc = fail(r, v, "unknown Block kind \"%s\"", t);
    }
    r->depth--;
    return rc;
}

static int blocks(rd *r, const jv *v, nc_node *parent)
{
    if (!array(r, v, SIZE_MAX, "[Block]"))
        return -1;
    for (const jv *e = kid(r, v); e; e = sib(r, e)) {
        if (block_node(r, e, parent))
            return -1;
    }
    return 0;
}

/* pandoc's YAML numbers come as inlines of one Str; ours are numbers again */
static bool is_number(const char *s, size_t n)
{
    if (!n || n > 40)
        return false;
    char tmp[48], *end;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (!(tmp[0] == '-' || tmp[0] == '+' || (tmp[0] >= '0' && tmp[0] <= '9')))
        return false;
    strtod(tmp, &end);
    return *end == '\0' && !strpbrk(tmp, "xXnN");
}

static nc_meta *meta(rd *r, const jv *v)
{
    const jv *c;
    char tname[32];
    const char *t = tagged(r, v, &c, "MetaValue", tname);
    if (!t || enter(r, v))
        return NULL;
    nc_meta *m = NULL;
    if (strcmp(t, "MetaMap") == 0) {
        if (!is_type(c, J_OBJECT)) {
            fail(r, v, "MetaMap: expected an object, found %s", type_name(c));
        } else {
            m = nc_meta_new(r->doc, NC_META_MAP);
            for (const jv *e = kid(r, c); e; e = sib(r, e)) {
                nc_meta *x = meta(r, e);
                if (!x) {
                    m = NULL;
                    break;
                }
                nc_meta_set(r->doc, m, nc_doc_strndup(r->doc, key_of(r, e), e->klen), x);
            }
        }
    } else if (strcmp(t, "MetaList") == 0) {
        if (array(r, c, SIZE_MAX, "MetaList")) {
            m = nc_meta_new(r->doc, NC_META_LIST);
            for (const jv *e = kid(r, c); e; e = sib(r, e)) {
                nc_meta *x = meta(r, e);
                if (!x) {
                    m = NULL;
                    break;
                }
                nc_meta_push(r->doc, m, x);
            }
        }
    } else if (strcmp(t, "MetaBool") == 0) {
        if (!is_type(c, J_TRUE) && !is_type(c, J_FALSE)) {
            fail(r, v, "MetaBool: expected a boolean, found %s", type_name(c));
        } else {
            m = nc_meta_new(r->doc, NC_META_BOOL);
            m->b = is_type(c, J_TRUE);
        }
    } else if (strcmp(t, "MetaString") == 0) {
        size_t len;
        const char *s = string(r, c, &len, "MetaString");
        if (s)
            m = nc_meta_new_string(r->doc, s, len);
    } else if (strcmp(t, "MetaInlines") == 0 || strcmp(t, "MetaBlocks") == 0) {
        bool inl = t[4] == 'I';
        nc_node *holder = nc_node_new(r->doc, inl ? NC_PLAIN : NC_DIV, &r->pos);
        if ((inl ? inlines(r, c, holder) : blocks(r, c, holder)) == 0) {
            /* plain text (what YAML strings become) is a string again */
            bool plain = inl;
            for (const nc_node *k = holder->first; plain && k; k = k->next)
                plain = k->kind == NC_STR || k->kind == NC_SOFT_BREAK || k->kind == NC_SPACE;
            if (plain) {
                nc_buf s = NC_BUF_INIT;
                for (const nc_node *k = holder->first; k; k = k->next)
                    if (k->kind == NC_STR)
                        nc_buf_put(&s, k->text, k->len);
                    else
                        nc_buf_putc(&s, k->kind == NC_SPACE ? ' ' : '\n');
                bool num = holder->first && !holder->first->next && is_number(s.ptr, s.len);
                m = nc_meta_new_string(r->doc, nc_buf_cstr(&s), s.len);
                if (num) {
                    m->kind = NC_META_NUMBER;
                    m->num = strtod(m->str, NULL);
                }
                nc_buf_free(&s);
            } else {
                m = nc_meta_new(r->doc, inl ? NC_META_INLINES : NC_META_BLOCKS);
                m->node = holder;
            }
        }
    } else {
        fail(r, v, "unknown MetaValue kind \"%s\"", t);
    }
    if (m)
        m->pos = r->pos;
    r->depth--;
    return m;
}

/* Where v sits under root, as a JSON path ($.blocks[3].c[1]); false when it is not there.
 * The depth is the parser's nesting limit at most. */
static bool path_to(const rd *r, const jv *root, const jv *v, nc_buf *out)
{
    if (root == v)
        return true;
    size_t mark = out->len, i = 0;
    for (const jv *e = kid(r, root); e; e = sib(r, e), i++) {
        if (root->type == J_ARRAY)
            nc_buf_printf(out, "[%zu]", i);
        else
            nc_buf_printf(out, ".%.*s", (int)e->klen, key_of(r, e));
        if (path_to(r, e, v, out))
            return true;
        nc_buf_truncate(out, mark);
    }
    return false;
}

static void report_shape(rd *r, const jv *root, nc_diag *diag)
{
    nc_buf where = NC_BUF_INIT;
    nc_buf_putc(&where, '$');
    if (r->bad && !path_to(r, root, r->bad, &where))
        nc_buf_truncate(&where, 1);
    const jv *t = member(r, r->bad, "t");
    nc_pos p = r->pos;
    if (r->bad)
        p = vpos(r->p, p.file, r->bad->start);
    if (is_type(t, J_STRING))
        nc_diag_report(diag, NC_DIAG_ERROR, &p, "pandoc JSON at %s (%.*s): %s",
                       nc_buf_cstr(&where), (int)(t->len < 40 ? t->len : 40), text_of(r, t),
                       nc_buf_cstr(&r->why));
    else
        nc_diag_report(diag, NC_DIAG_ERROR, &p, "pandoc JSON at %s: %s", nc_buf_cstr(&where),
                       nc_buf_cstr(&r->why));
    nc_buf_free(&where);
}

static int version(rd *r, const jv *root, nc_diag *diag)
{
    const jv *v = member(r, root, "pandoc-api-version");
    double major = -1, minor = -1;
    if (is_type(v, J_ARRAY) && asize(v) >= 2 && number(r, nth(r, v, 0), &major) &&
        number(r, nth(r, v, 1), &minor)) {
        if (major == 1 && (minor == 22 || minor == 23))
            return 0;
    } else {
        major = -1;
    }
    nc_pos p = vpos(r->p, r->pos.file, v ? v->start : root->start);
    if (!v)
        nc_diag_report(diag, NC_DIAG_ERROR, &p,
                       "not pandoc JSON: no \"pandoc-api-version\" (pandoc before 2.0 wrote "
                       "another form; noteconv reads pandoc-api 1.22 and 1.23)");
    else if (major < 0)
        nc_diag_report(diag, NC_DIAG_ERROR, &p,
                       "\"pandoc-api-version\" should be a list of numbers like [1,23]");
    else
        nc_diag_report(diag, NC_DIAG_ERROR, &p,
                       "pandoc-api-version %g.%g is not supported: noteconv reads 1.22 "
                       "(pandoc 2.11 to 2.19) and 1.23 (pandoc 3)",
                       major, minor);
    return -1;
}

/* The line and byte column of offset off in data. */
static nc_pos position(const char *file, const char *data, size_t len, size_t off)
{
    nc_pos p = {file, 1, 1};
    if (off > len)
        off = len;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n') {
            p.line++;
            bol = i + 1;
        }
    p.col = (uint32_t)(off - bol + 1);
    return p;
}

/* JSON nesting allowed: enough for max_depth nodes (a node takes two to nine levels), and
 * never so much that walking the values could exhaust a thread's stack. */
#define NC_JSON_MAX_NESTING 4096

static int read_json(nc_doc *doc, const char *data, size_t len, const char *path,
                     const nc_options *opt, nc_diag *diag)
{
    const char *file = nc_doc_intern_path(doc, path ? path : "-");
    size_t limit = opt && opt->max_input_size ? opt->max_input_size : NC_DEFAULT_MAX_INPUT;
    int max_depth = opt && opt->max_depth > 0 ? opt->max_depth : NC_DEFAULT_MAX_DEPTH;
    nc_pos at = {file, 0, 0};
    if (len > limit || len >= UINT32_MAX) {
        nc_diag_report(diag, NC_DIAG_ERROR, &at, "input is %zu bytes, over the limit of %zu",
                       len, limit < UINT32_MAX - 1 ? limit : (size_t)UINT32_MAX - 1);
        return -1;
    }
    if (!data)
        data = "";
    jparse p = {.s = data, .n = len, .scratch = NC_BUF_INIT};
    p.capbols = 64;
    p.bols = nc_xmalloc(p.capbols * sizeof *p.bols);
    p.nbols = 1;
    p.bols[0] = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        p.i = p.bols[0] = 3;
    size_t nesting = 4 * (size_t)max_depth + 64;
    p.max_nesting = nesting < NC_JSON_MAX_NESTING ? nesting : NC_JSON_MAX_NESTING;
    int rc = jparse_all(&p);
    if (rc) {
        nc_pos e = position(file, data, len, p.err_at);
        if (strcmp(p.err, "nesting too deep") == 0)
            nc_diag_report(diag, NC_DIAG_ERROR, &e,
                           "invalid JSON: nesting deeper than %zu levels (see --max-depth)",
                           p.max_nesting);
        else
            nc_diag_report(diag, NC_DIAG_ERROR, &e, "invalid JSON: %s", p.err);
    }
    rd r = {doc, &p, {file, 1, 1}, max_depth, 0, NULL, NC_BUF_INIT, NC_BUF_INIT, {file, 0, 0},
            NULL};
    const jv *root = rc ? NULL : &p.v[1];
    if (!rc && !is_type(root, J_OBJECT)) {
        nc_diag_report(diag, NC_DIAG_ERROR, &r.pos,
                       "not pandoc JSON: expected an object with \"pandoc-api-version\", "
                       "\"meta\" and \"blocks\", found %s",
                       type_name(root));
        rc = -1;
    }
    if (!rc)
        rc = version(&r, root, diag);
    /* the nodes and strings of pandoc's JSON take about five bytes of arena per byte */
    if (!rc && len <= SIZE_MAX / 6)
        nc_doc_reserve(doc, len * 6);
    nc_node *tmp = nc_node_new(doc, NC_DOCUMENT, &r.pos);
    nc_meta *fm = nc_meta_new(doc, NC_META_MAP);
    if (!rc) {
        rc = blocks(&r, member(&r, root, "blocks"), tmp);
        const jv *mv = member(&r, root, "meta");
        if (!rc && mv && !is_type(mv, J_OBJECT))
            rc = fail(&r, mv, "meta: expected an object, found %s", type_name(mv));
        for (const jv *e = rc ? NULL : kid(&r, mv); e; e = sib(&r, e)) {
            nc_meta *x = meta(&r, e);
            if (!x) {
                rc = -1;
                break;
            }
            nc_meta_set(doc, fm, nc_doc_strndup(doc, key_of(&r, e), e->klen), x);
        }
        if (rc)
            report_shape(&r, root, diag);
    }
    free_values(&p);
    free(p.bols);
    nc_buf_free(&p.scratch);
    nc_buf_free(&r.why);
    nc_buf_free(&r.text);
    if (rc)
        return -1;
    nc_meta *dm = nc_doc_meta(doc);
    for (size_t i = 0; i < fm->n; i++)
        if (!nc_meta_get(dm, fm->keys[i]))
            nc_meta_set(doc, dm, fm->keys[i], fm->items[i]);
    nc_node_move_children(tmp, nc_doc_root(doc));
    if (!nc_doc_path(doc))
        nc_doc_set_path(doc, file);
    return 0;
}

const nc_reader nc_reader_json = {
    "json",
    ".json",
    "pandoc's JSON AST (pandoc-api 1.22 and 1.23)",
    read_json,
};
