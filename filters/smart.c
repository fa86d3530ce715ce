/* smart.c — the smart filter: straight quotes become curly ones, -- and --- en and em dashes,
 * ... an ellipsis, in Latin text only. It never touches text with East Asian characters next
 * to it, code, math, raw HTML, URLs or the text of autolinks. */
#include <string.h>

#include "../src/internal.h"

#define LDQ "\xe2\x80\x9c"
#define RDQ "\xe2\x80\x9d"
#define LSQ "\xe2\x80\x98"
#define RSQ "\xe2\x80\x99"
#define NDASH "\xe2\x80\x93"
#define MDASH "\xe2\x80\x94"
#define ELLIPSIS "\xe2\x80\xa6"

/* Where a quote opens: at the start, after a space, an opening bracket, a dash or another
 * opening quote. */
static bool opens_after(int32_t prev)
{
    return prev == 0 || prev == ' ' || prev == '\t' || prev == '\n' || prev == '(' ||
           prev == '[' || prev == '{' || prev == '-' || prev == '/' || prev == 0x2013 ||
           prev == 0x2014 || prev == 0x201C || prev == 0x2018;
}

static bool looks_like_url(const char *s, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++)
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
            return true;
    return len >= 4 && strncmp(s, "www.", 4) == 0;
}

/* Is the link's text its own URL (an autolink, or a bare URL the reader made a link)? */
static bool autolink(const nc_node *n)
{
    const nc_node *k = n->first;
    if (!k || k->next || k->kind != NC_STR || !n->url)
        return false;
    size_t ul = strlen(n->url);
    if (ul >= k->len && strcmp(n->url + (ul - k->len), k->text) == 0)
        return true;
    return looks_like_url(k->text, k->len);
}

static int32_t last_cp(const char *s, size_t len)
{
    if (!len)
        return 0;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    int32_t cp;
    return nc_utf8_decode(s + i, len - i, &cp) ? cp : 0xFFFD;
}

/* Rewrites one Str; prev is the character before it (0 at the start of a block). */
static void str(nc_doc *doc, nc_node *n, int32_t *prev, nc_buf *out)
{
    const char *s = n->text;
    size_t len = n->len;
    bool any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\'' || (ch == '-' && i + 1 < len && s[i + 1] == '-') ||
            (ch == '.' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.'))
            any = true;
        else if (ch >= 0xE1) {
            int32_t cp;
            if (nc_utf8_decode(s + i, len - i, &cp) && nc_is_east_asian(cp)) {
                any = false; /* Japanese text is not ours to change */
                break;
            }
        }
    }
    if (!any || nc_is_east_asian(*prev) || looks_like_url(s, len)) {
        *prev = last_cp(s, len);
        return;
    }
    nc_buf_clear(out);
    int32_t p = *prev;
    for (size_t i = 0; i < len;) {
        char ch = s[i];
        if (ch == '"') {
            nc_buf_puts(out, opens_after(p) ? LDQ : RDQ);
            p = opens_after(p) ? 0x201C : 0x201D;
            i++;
        } else if (ch == '\'') {
            int32_t next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
            bool open = opens_after(p) && next && next != ' ';
            nc_buf_puts(out, open ? LSQ : RSQ);
            p = open ? 0x2018 : 0x2019;
            i++;
        } else if (ch == '-' && i + 2 < len && s[i + 1] == '-' && s[i + 2] == '-') {
            nc_buf_puts(out, MDASH);
            p = 0x2014;
            i += 3;
        } else if (ch == '-' && i + 1 < len && s[i + 1] == '-') {
            nc_buf_puts(out, NDASH);
            p = 0x2013;
            i += 2;
        } else if (ch == '.' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.') {
            nc_buf_puts(out, ELLIPSIS);
            p = 0x2026;
            i += 3;
        } else {
            int32_t cp;
            int k = nc_utf8_decode(s + i, len - i, &cp);
            k = k ? k : 1;
            nc_buf_put(out, s + i, (size_t)k);
            p = cp;
            i += (size_t)k;
        }
    }
    nc_node_set_text(doc, n, out->ptr, out->len);
    *prev = p;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "smart", args, keys, diag) != 0)
        return -1;
    nc_fargs_free(&a);
    nc_buf out = NC_BUF_INIT;
    int32_t prev = 0;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER)
            continue;
        switch (n->kind) {
        case NC_STR:
            str(doc, n, &prev, &out);
            break;
        case NC_SPACE:
        case NC_SOFT_BREAK:
        case NC_LINE_BREAK:
            prev = ' ';
            break;
        case NC_CODE:
        case NC_MATH:
        case NC_RAW_INLINE:
            prev = n->len ? last_cp(n->text, n->len) : 'x';
            break;
        case NC_LINK:
            if (autolink(n)) {
                prev = 'x';
                nc_iter_reset(&it, n, NC_EV_EXIT);
            }
            break;
        case NC_NOTE:
            break;
        default:
            if (nc_kind_is_block(n->kind))
                prev = 0;
            break;
        }
    }
    nc_buf_free(&out);
    return 0;
}

const nc_filter nc_filter_smart = {
    "smart",
    "curly quotes, en and em dashes (-- ---) and ellipses (...) in Latin text; never in "
    "Japanese text, code, raw HTML or URLs",
    "",
    false,
    run,
};
