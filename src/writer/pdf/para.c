/* para.c — paragraphs of the PDF layout: inlines become styled text, the text is broken into
 * lines (UAX #14 + JLREQ kinsoku from linebreak.c), lines are justified (inter-character space
 * in Japanese, inter-word space in Latin) and set as runs, rules and link rectangles. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"

#define COLOR_TEXT 0x1F2328
#define COLOR_LINK 0x0969DA
#define COLOR_MUTED 0x59636E
#define COLOR_CODE_BG 0xEFF1F3
#define COLOR_MISSING 0xC62828

void para_init(para *P, double size, unsigned style)
{
    memset(P, 0, sizeof *P);
    P->size = size;
    P->base_style = style;
    P->leading = 0;
    P->justify = true;
    P->color = COLOR_TEXT;
}

void para_free(para *P)
{
    nc_buf_free(&P->text);
    free(P->spans);
}

static span *add_span(para *P)
{
    if (P->nspans == P->capspans) {
        P->capspans = P->capspans ? P->capspans * 2 : 16;
        P->spans = nc_big_realloc(P->spans, P->nspans * sizeof *P->spans,
                                  P->capspans * sizeof *P->spans);
    }
    span *s = &P->spans[P->nspans++];
    memset(s, 0, sizeof *s);
    return s;
}

void para_text(para *P, const char *s, size_t len, unsigned style, const char *url)
{
    if (!len)
        return;
    style |= P->base_style;
    span *last = P->nspans ? &P->spans[P->nspans - 1] : NULL;
    if (last && last->start == last->end && !last->anchor) {
        /* an empty marker span (a new source position) takes the text */
        last->style = style;
        last->url = url;
    } else if (!last || last->style != style || last->url != url ||
               last->end != P->text.len || last->anchor) {
        last = add_span(P);
        last->start = P->text.len;
        last->style = style;
        last->url = url;
        last->pos = P->at.line ? P->at : P->pos;
    }
    nc_buf_put(&P->text, s, len);
    last->end = P->text.len;
}

/* An empty span: a link target (anchor), or just a new source position (NULL). */
static void para_anchor(para *P, const char *anchor)
{
    span *last = P->nspans ? &P->spans[P->nspans - 1] : NULL;
    span *s = last && last->start == last->end && !last->anchor ? last : add_span(P);
    s->start = s->end = P->text.len;
    s->anchor = anchor;
    s->pos = P->at.line ? P->at : P->pos;
}

void para_text_at(para *P, const char *s, size_t len, unsigned style, nc_pos at)
{
    P->at = at;
    para_anchor(P, NULL);
    para_text(P, s, len, style, NULL);
}

/* ---- collecting inlines ---- */

static int32_t last_cp(const nc_buf *b)
{
    if (!b->len)
        return 0;
    size_t i = b->len - 1;
    while (i > 0 && ((unsigned char)b->ptr[i] & 0xC0) == 0x80)
        i--;
    int32_t cp;
    nc_utf8_decode(b->ptr + i, b->len - i, &cp);
    return cp;
}

static int32_t first_cp(const nc_node *n)
{
    for (; n; n = n->first) {
        if (n->kind == NC_STR || n->kind == NC_CODE) {
            int32_t cp = 0;
            if (n->len)
                nc_utf8_decode(n->text, n->len, &cp);
            return cp;
        }
        if (nc_kind_is_leaf(n->kind))
            return ' ';
    }
    return 0;
}

static bool cjk_letter(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* "<br>", "<br/>", "<BR />" */
bool lay_is_br(const char *s, size_t n)
{
    if (n < 4 || s[0] != '<' || (s[1] | 0x20) != 'b' || (s[2] | 0x20) != 'r')
        return false;
    for (size_t i = 3; i < n - 1; i++)
        if (s[i] != ' ' && s[i] != '/')
            return false;
    return s[n - 1] == '>';
}

typedef struct frame {
    unsigned style;
    const char *url;
} frame;

void para_inlines(lay *L, para *P, const nc_node *n, unsigned style)
{
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    const char *url = NULL;
    nc_iter it;
    nc_iter_init(&it, (nc_node *)n);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *c = nc_iter_node(&it);
        if (c == n)
            continue;
        if (ev == NC_EV_EXIT) {
            if (c->kind == NC_QUOTED)
                para_text(P, c->quote == NC_QUOTE_SINGLE ? "\xe2\x80\x99" : "\xe2\x80\x9d", 3,
                          style, url);
            if (c->kind == NC_IMAGE)
                para_text(P, "]", 1, style, url);
            if (depth) {
                depth--;
                style = stack[depth].style;
                url = stack[depth].url;
            }
            continue;
        }
        /* a new span starts at each text node, so that it knows where it came from */
        if (c->pos.line && (c->pos.line != P->at.line || c->pos.col != P->at.col)) {
            P->at = c->pos;
            para_anchor(P, NULL);
        }
        switch (c->kind) {
        case NC_STR:
            para_text(P, c->text, c->len, style, url);
            continue;
        case NC_SPACE:
            para_text(P, " ", 1, style, url);
            continue;
        case NC_SOFT_BREAK: {
            /* between two Japanese characters a line end in the source is no space */
            int32_t a = last_cp(&P->text), b = first_cp(c->next);
            if (!(nc_is_east_asian(a) && nc_is_east_asian(b)))
                para_text(P, " ", 1, style, url);
            continue;
        }
        case NC_LINE_BREAK:
            para_text(P, "\n", 1, style, url);
            continue;
        case NC_CODE:
            para_text(P, c->text, c->len, style | S_MONO | S_CODE, url);
            continue;
        case NC_MATH:
            para_text(P, c->text, c->len, style | S_ITALIC, url);
            continue;
        case NC_RAW_INLINE:
            if (c->format && strcmp(c->format, "html") == 0 && lay_is_br(c->text, c->len))
                para_text(P, "\n", 1, style, url);
            else
                nc_diag_report(L->diag, NC_DIAG_WARNING | NC_DIAG_VERBOSE, &c->pos,
                               "raw %s '%.*s' dropped in PDF output (its text is kept)",
                               c->format ? c->format : "inline", (int)(c->len > 40 ? 40 : c->len),
                               c->text);
            continue;
        case NC_NOTE: {
            if (L->nnotes == L->capnotes) {
                L->capnotes = L->capnotes ? L->capnotes * 2 : 16;
                L->notes = nc_xrealloc(L->notes, L->capnotes * sizeof *L->notes);
            }
            L->note_item = nc_xrealloc(L->note_item, L->capnotes * sizeof *L->note_item);
            L->note_item[L->nnotes] = SIZE_MAX;
            L->notes[L->nnotes++] = c;
            char num[48], id[48];
            int k = snprintf(num, sizeof num, "%zu", L->nnotes);
            snprintf(id, sizeof id, "fnref-%zu", L->nnotes);
            para_anchor(P, nc_doc_strdup(L->out->arena, id));
            snprintf(id, sizeof id, "#fn-%zu", L->nnotes);
            para_text(P, num, (size_t)k, style | S_SUP | S_LINK,
                      nc_doc_strdup(L->out->arena, id));
            nc_iter_reset(&it, c, NC_EV_EXIT);
            /* the EXIT event pops a frame: push one */
            break;
        }
        default:
            break;
        }
        if (nc_kind_is_leaf(c->kind))
            continue;
        if (depth == cap) {
            cap = cap ? cap * 2 : 16;
            stack = nc_xrealloc(stack, cap * sizeof *stack);
        }
        stack[depth].style = style;
        stack[depth].url = url;
        depth++;
        switch (c->kind) {
        case NC_EMPH:
            style |= S_ITALIC;
            break;
        case NC_STRONG:
            style |= S_BOLD;
            break;
        case NC_STRIKEOUT:
            style |= S_STRIKE;
            break;
        case NC_SUPERSCRIPT:
        case NC_SUBSCRIPT:
            style |= S_SUP;
            break;
        case NC_LINK:
            style |= S_LINK;
            url = c->url ? c->url : "";
            break;
        case NC_IMAGE:
            /* images are set by the block layout; inline ones show their alt text */
            style |= S_MUTED | S_LINK;
            url = c->url ? c->url : "";
            para_text(P, "[", 1, style, url);
            break;
        case NC_QUOTED:
            para_text(P, c->quote == NC_QUOTE_SINGLE ? "\xe2\x80\x98" : "\xe2\x80\x9c", 3, style,
                      url);
            break;
        default:
            break;
        }
    }
    free(stack);
}

/* ---- breaking and setting lines ---- */

enum { C_OTHER, C_SPACE, C_CJK, C_NL };

typedef struct ch {
    size_t off;
    uint32_t cp;
    float w;     /* advance */
    float pre;   /* space before it (between Japanese and Latin) */
    uint16_t len;
    int8_t slot;
    uint8_t cls;
    uint32_t span;
    bool squeezed; /* advance cut to half (JLREQ: punctuation next to punctuation) */
} ch;

static void warn_missing(lay *L, const para *P, uint32_t cp, size_t off, size_t sp)
{
    /* the column: the span's start plus the bytes before the character, when the span is
     * plain source text on one line */
    nc_pos pos = P->spans[sp].pos.line ? P->spans[sp].pos : P->pos;
    size_t from = P->spans[sp].start;
    if (pos.line && !memchr(P->text.ptr + from, '\n', off - from))
        pos.col += (uint32_t)(off - from);
    for (size_t i = 0; i < L->nwarned; i++)
        if (L->warned[i] == cp)
            return;
    if (L->nwarned == L->capwarned) {
        L->capwarned = L->capwarned ? L->capwarned * 2 : 16;
        L->warned = nc_xrealloc(L->warned, L->capwarned * sizeof *L->warned);
    }
    L->warned[L->nwarned++] = cp;
    nc_diag_report(L->diag, NC_DIAG_WARNING, &pos,
                   "no font has U+%04X%s; it is drawn as a replacement mark", (unsigned)cp,
                   cp > 0xFFFF ? " (outside the BMP, which PDF UTF-8 fonts cannot encode)" : "");
}

static double span_size(const para *P, unsigned style)
{
    return (style & S_SUP) ? P->size * 0.7 : P->size;
}

/* Full-width punctuation (JLREQ cl-01 opening brackets; cl-02 closing brackets, cl-06 full
 * stops and cl-07 commas) carries half an em of space on its open side. */
static bool fw_opening(uint32_t cp)
{
    switch (cp) {
    case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010: case 0x3014:
    case 0x3016: case 0x3018: case 0x301D: case 0xFF08: case 0xFF3B: case 0xFF5B:
    case 0xFF5F:
        return true;
    default:
        return false;
    }
}

static bool fw_closing(uint32_t cp)
{
    switch (cp) {
    case 0x3001: case 0x3002: case 0x3009: case 0x300B: case 0x300D: case 0x300F:
    case 0x3011: case 0x3015: case 0x3017: case 0x3019: case 0x301F: case 0xFF09:
    case 0xFF0C: case 0xFF0E: case 0xFF3D: case 0xFF5D: case 0xFF60:
        return true;
    default:
        return false;
    }
}

/* JLREQ 3.1.4: between two such marks the two half-em spaces become one, so "。」" and
 * "）「" do not leave a full em of air: a closing mark before another mark loses its
 * trailing half, an opening mark after an opening mark moves back by half. */
static void squeeze(lay *L, const para *P, ch *c, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        double size = span_size(P, P->spans[c[i].span].style);
        bool wide = c[i].w >= size * 0.9 && c[i + 1].w >= size * 0.9 &&
                    (lay_font(L, c[i].slot) == lay_font(L, NC_F_CJK) ||
                     lay_font(L, c[i].slot) == lay_font(L, NC_F_CJK_SANS));
        if (!wide || P->code)
            continue;
        if (fw_closing(c[i].cp) && (fw_closing(c[i + 1].cp) || fw_opening(c[i + 1].cp))) {
            c[i].w -= (float)(size * 0.5);
            c[i].squeezed = true;
        } else if (fw_opening(c[i].cp) && fw_opening(c[i + 1].cp)) {
            c[i + 1].pre -= (float)(size * 0.5);
        }
    }
}

/* Measures every character. Returns the array (count in *n). */
static ch *measure(lay *L, para *P, size_t *n)
{
    const char *s = P->text.ptr;
    size_t len = P->text.len;
    /* a paragraph of megabytes measures into hundreds of megabytes: on huge pages */
    ch *c = nc_big_alloc((len + 1) * sizeof *c);
    size_t k = 0, sp = 0;
    int32_t prev = 0;
    for (size_t i = 0; i < len;) {
        while (sp + 1 < P->nspans && P->spans[sp].end <= i)
            sp++;
        unsigned style = P->spans[sp].style;
        int32_t cp;
        int l = nc_utf8_decode(s + i, len - i, &cp);
        if (!l)
            l = 1;
        ch *x = &c[k++];
        x->off = i;
        x->len = (uint16_t)l;
        x->span = (uint32_t)sp;
        x->pre = 0;
        x->squeezed = false;
        x->cp = (uint32_t)cp;
        i += (size_t)l;
        if (cp == '\n') {
            x->cls = C_NL;
            x->w = 0;
            x->slot = NC_F_MAIN;
            prev = 0;
            continue;
        }
        if (cp == '\t' || cp == '\r')
            cp = ' ';
        int slot = lay_pick(L, style, (uint32_t)cp);
        if (slot < 0) {
            warn_missing(L, P, (uint32_t)cp, x->off, sp);
            x->cp = 0xFFFD;
            slot = lay_pick(L, style, 0xFFFD);
            if (slot < 0) {
                x->cp = '?';
                slot = lay_pick(L, style, '?');
            }
        }
        x->slot = (int8_t)slot;
        x->w = (float)nc_font_width(lay_font(L, slot), x->cp, span_size(P, style));
        x->cls = cp == ' ' ? C_SPACE : nc_jis_is_cjk((unsigned)cp) ? C_CJK : C_OTHER;
        /* a full-width glyph of the Japanese face (…, ※, — in Japanese text) spaces like
         * its neighbours */
        if (x->cls == C_OTHER && cp >= 0x2000 &&
            (lay_font(L, slot) == lay_font(L, NC_F_CJK) ||
             lay_font(L, slot) == lay_font(L, NC_F_CJK_SANS)) &&
            x->w >= span_size(P, style) * 0.9)
            x->cls = C_CJK;
        /* JLREQ: a quarter em between Japanese and Latin letters or digits */
        bool alnum = cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
        bool digit = cp >= '0' && cp <= '9';
        bool pa = prev < 0x80 && (((prev | 0x20) >= 'a' && (prev | 0x20) <= 'z') ||
                                  (prev >= '0' && prev <= '9'));
        if (!(style & (S_MONO | S_SUP)) && !P->code &&
            (((alnum || digit) && cjk_letter(prev)) || (cjk_letter(cp) && pa)))
            x->pre = (float)(P->size * 0.25);
        prev = cp;
    }
    squeeze(L, P, c, k);
    *n = k;
    return c;
}

typedef struct line {
    size_t a, b;   /* characters [a, b) */
    bool last;     /* the paragraph's last line, or ends with a forced break */
    bool cont;     /* a continuation of a wrapped code line */
} line;

static line *break_lines(lay *L, para *P, ch *c, size_t n, double width, size_t *nlines)
{
    char *brk = nc_big_alloc(P->text.len + 1);
    nc_linebreaks(P->text.ptr, P->text.len, L->ja ? "ja" : "en", brk);
    line *lines = NULL;
    size_t nl = 0, cap = 0;
    size_t i = 0;
    bool cont = false;
    while (i < n) {
        if (!P->code)
            while (i < n && c[i].cls == C_SPACE)
                i++;
        if (i >= n)
            break;
        size_t start = i, end = n, next = n;
        bool forced = false;
        double w = 0;
        size_t last_ok = SIZE_MAX;
        for (size_t j = start; j < n; j++) {
            if (c[j].cls == C_NL) {
                end = j;
                next = j + 1;
                forced = true;
                break;
            }
            double cw = c[j].w + (j > start ? c[j].pre : 0);
            if (w + cw > width + 0.01 && j > start && c[j].cls != C_SPACE) {
                if (last_ok != SIZE_MAX) {
                    end = next = last_ok + 1;
                } else {
                    /* nowhere to break (a long URL or word): break before this character,
                     * but not before one that must not begin a line */
                    size_t k = j;
                    while (k > start + 1 && nc_jis_no_line_start(c[k].cp))
                        k--;
                    end = next = k;
                }
                break;
            }
            w += cw;
            if (j + 1 < n && brk[c[j].off + c[j].len - 1] <= NC_BRK_ALLOW)
                last_ok = j;
        }
        if (nl == cap) {
            cap = cap ? cap * 2 : 16;
            lines = nc_big_realloc(lines, nl * sizeof *lines, cap * sizeof *lines);
        }
        lines[nl].a = start;
        lines[nl].b = end;
        lines[nl].last = forced || end >= n;
        lines[nl].cont = cont;
        nl++;
        cont = P->code && !forced && end < n;
        i = next;
    }
    free(brk);
    *nlines = nl;
    return lines;
}

/* Adds the runs, decorations and links of one line, baseline at y (relative to the current
 * item's top), starting at x. */
static void set_line(lay *L, para *P, ch *c, const line *ln, double x, double y, double width)
{
    size_t a = ln->a, b = ln->b;
    while (b > a && c[b - 1].cls == C_SPACE && !P->code)
        b--;
    /* natural width and the points that can stretch */
    double nat = 0;
    size_t nsp = 0, ncjk = 0;
    for (size_t j = a; j < b; j++) {
        nat += c[j].w + (j > a ? c[j].pre : 0);
        if (j + 1 < b) {
            if (c[j].cls == C_SPACE)
                nsp++;
            else if (c[j].cls == C_CJK || c[j + 1].cls == C_CJK)
                ncjk++;
        }
    }
    double sp_extra = 0, cjk_extra = 0;
    double slack = width - nat;
    if (P->center && slack > 0)
        x += slack / 2;
    if (P->justify && !ln->last && !P->code && slack > 0 && nsp + ncjk > 0) {
        /* Latin spaces stretch twice as much as the gaps between Japanese characters */
        double unit = slack / (double)(ncjk + 2 * nsp);
        if (unit < P->size * 0.5) {
            cjk_extra = unit;
            sp_extra = 2 * unit;
        }
    }
    /* runs: one per stretch of characters with one face, style and spacing */
    size_t j = a;
    double pen = x;
    while (j < b) {
        const span *sp = &P->spans[c[j].span];
        unsigned style = sp->style;
        double size = span_size(P, style);
        double rise = (style & S_SUP) ? P->size * 0.35 : 0;
        int slot = c[j].slot;
        bool cjk = c[j].cls == C_CJK;
        pen += j > a ? c[j].pre : 0;
        double run_x = pen;
        size_t k = j;
        double cs = 0;
        while (k < b) {
            if (k > j && (c[k].slot != slot || c[k].span != c[j].span || c[k].pre != 0 ||
                          c[k - 1].squeezed ||
                          (c[k].cls == C_CJK) != cjk || c[k - 1].cls == C_SPACE))
                break;
            double extra = 0;
            if (k + 1 < b) {
                if (c[k].cls == C_SPACE)
                    extra = sp_extra;
                else if (c[k].cls == C_CJK || c[k + 1].cls == C_CJK)
                    extra = cjk_extra;
            }
            if (cjk)
                cs = cjk_extra; /* Tc spaces every character of the run alike */
            pen += c[k].w + extra;
            k++;
            /* a Latin word's last letter may take the gap before a Japanese character:
             * end the run so the next one starts at its own position */
            if (!cjk && extra > 0 && c[k - 1].cls != C_SPACE) {
                break;
            }
        }
        nc_op *o = lay_op(L, NC_OP_TEXT);
        o->font = slot;
        o->size = size;
        o->x = run_x;
        o->y = y + rise;
        o->char_space = cs;
        o->flags = lay_fake(L, style, slot) | ((style & S_STRIKE) ? NC_RUN_STRIKE : 0);
        o->color = (style & S_LINK) && !(style & S_QUIET) ? COLOR_LINK
                   : (style & S_MUTED)                   ? COLOR_MUTED
                                                         : P->color;
        size_t from = c[j].off, to = c[k - 1].off + c[k - 1].len;
        /* replaced characters are written as what is drawn */
        bool replaced = false;
        for (size_t q = j; q < k; q++)
            replaced |= c[q].cp == 0xFFFD || c[q].cp == '?';
        if (replaced) {
            nc_buf t = NC_BUF_INIT;
            for (size_t q = j; q < k; q++) {
                int32_t cp0;
                nc_utf8_decode(P->text.ptr + c[q].off, c[q].len, &cp0);
                if ((uint32_t)cp0 != c[q].cp || c[q].cp == 0xFFFD)
                    nc_utf8_encode(&t, (int32_t)c[q].cp);
                else
                    nc_buf_put(&t, P->text.ptr + c[q].off, c[q].len);
            }
            o->text = nc_doc_strndup(L->out->arena, t.ptr, t.len);
            o->len = t.len;
            nc_buf_free(&t);
            o->color = COLOR_MISSING;
        } else {
            o->text = nc_doc_strndup(L->out->arena, P->text.ptr + from, to - from);
            o->len = to - from;
        }
        /* tabs and carriage returns in code are drawn as spaces */
        for (size_t q = 0; q < o->len; q++)
            if (o->text[q] == '\t' || o->text[q] == '\r')
                ((char *)o->text)[q] = ' ';
        double run_w = pen - run_x;
        if (c[k - 1].cls == C_SPACE && k < b)
            run_w -= c[k - 1].w + sp_extra;
        size_t oi = (size_t)(o - L->ops);
        if (style & S_CODE) {
            nc_op *bg = lay_op(L, NC_OP_RECT);
            o = &L->ops[oi]; /* lay_op may have moved the ops */
            bg->x = run_x - 1;
            bg->y = y - size * 0.25;
            bg->w = run_w + 2;
            bg->h = size * 1.15;
            bg->color = COLOR_CODE_BG;
            /* the background goes under the text: swap the two ops */
            nc_op tmp = *bg;
            *bg = *o;
            *o = tmp;
        }
        if (style & S_STRIKE) {
            nc_op *s = lay_op(L, NC_OP_LINE);
            s->x = run_x;
            s->y = y + size * 0.3;
            s->w = run_w;
            s->h = 0;
            s->size = size * 0.06;
            s->color = P->color;
        }
        if ((style & S_LINK) && sp->url) {
            bool internal = sp->url[0] == '#';
            nc_op *l = lay_op(L, internal ? NC_OP_GOTO : NC_OP_URI);
            l->x = run_x;
            l->y = y - size * 0.25;
            l->w = run_w;
            l->h = size * 1.2;
            const char *t = internal ? sp->url + 1 : sp->url;
            l->text = t;
            l->len = strlen(t);
        }
        j = k;
    }
}

/* Spans start in text order and lines come in order, so *next (the first span not yet looked
 * at) moves forward only: a paragraph with many links and notes stays linear. */
static void register_anchors(lay *L, para *P, ch *c, const line *ln, size_t nch, size_t *next)
{
    size_t from = c[ln->a].off;
    size_t to = ln->b < nch ? c[ln->b].off : P->text.len + 1;
    while (*next < P->nspans && P->spans[*next].start < from)
        ++*next;
    for (size_t s = *next; s < P->nspans && P->spans[s].start < to; s++, *next = s)
        if (P->spans[s].anchor) {
            L->items[L->nitems - 1].anchor = P->spans[s].anchor;
            lay_anchor_add(L, P->spans[s].anchor, L->nitems - 1);
            /* a footnote reference: its note goes to the foot of this line's page */
            const char *a = P->spans[s].anchor;
            if (strncmp(a, "fnref-", 6) == 0) {
                size_t k = (size_t)strtoul(a + 6, NULL, 10);
                if (k >= 1 && k <= L->nnotes)
                    L->note_item[k - 1] = L->nitems - 1;
            }
        }
}

static void marker(lay *L, double x, double y)
{
    if (!L->marker)
        return;
    nc_op *o = lay_op(L, NC_OP_TEXT);
    o->font = L->marker_slot;
    o->size = L->marker_size;
    o->x = x - L->marker_w - L->base * 0.4;
    o->y = y;
    o->color = L->marker_color;
    o->text = L->marker;
    o->len = L->marker_len;
    if (L->marker_url) {
        double mx = o->x;
        nc_op *l = lay_op(L, NC_OP_GOTO);
        l->x = mx;
        l->y = y - L->marker_size * 0.25;
        l->w = L->marker_w;
        l->h = L->marker_size * 1.2;
        l->text = L->marker_url;
        l->len = strlen(L->marker_url);
    }
    L->marker = NULL;
    L->marker_url = NULL;
}

double lay_width(lay *L, int slot, const char *s, size_t len, double size, double spacing)
{
    nc_font *f = lay_font(L, slot);
    double w = 0;
    for (size_t q = 0; q < len;) {
        int32_t cp;
        int n = nc_utf8_decode(s + q, len - q, &cp);
        q += n ? (size_t)n : 1;
        w += nc_font_width(f, (uint32_t)cp, size) + spacing;
    }
    return w;
}

double lay_run_end(lay *L, const nc_op *o)
{
    return o->x + lay_width(L, o->font, o->text, o->len, o->size, o->char_space);
}

size_t para_set(lay *L, para *P, double width, bool keep_all)
{
    if (!P->text.len) {
        nc_buf_puts(&P->text, "");
        if (!L->marker)
            return 0;
    }
    if (!P->nspans)
        para_text(P, "", 0, 0, NULL);
    if (!P->nspans) {
        span *s = add_span(P);
        s->style = P->base_style;
    }
    size_t nch;
    ch *c = measure(L, P, &nch);
    size_t nl;
    line *lines = break_lines(L, P, c, nch, width, &nl);
    size_t next_span = 0;
    double lead = P->leading ? P->leading : L->leading;
    double h = P->size * lead;
    double x = L->left + L->indent;
    double base_y = -((h - P->size) / 2 + P->size * 0.86);
    if (nl == 0 && L->marker) {
        lay_item(L, h, 0);
        marker(L, x, base_y);
        lay_end_item(L);
    }
    for (size_t i = 0; i < nl; i++) {
        unsigned flags = 0;
        if (keep_all || (nl >= 2 && (i == 0 || i == nl - 2)))
            flags |= IT_KEEP;
        if (i == nl - 1 && !keep_all)
            flags &= ~(unsigned)IT_KEEP;
        if (keep_all && i == nl - 1)
            flags |= IT_KEEP;
        lay_item(L, h, flags);
        if (P->code) {
            lay_rect(L, x - L->base * 0.6, -h, width + L->base * 1.2, h, 0xF6F8FA);
            if (lines[i].cont) {
                /* a wrapped code line is marked in the padding */
                lay_font(L, NC_F_SYMBOL); /* the slot may not be loaded yet */
                nc_op *m = lay_op(L, NC_OP_TEXT);
                m->font = NC_F_SYMBOL;
                m->size = P->size * 0.8;
                m->x = x - L->base * 0.55;
                m->y = base_y;
                m->color = COLOR_MUTED;
                m->text = "\xe2\x86\xaa"; /* ↪ */
                m->len = 3;
            }
        }
        if (i == 0)
            marker(L, x, base_y);
        set_line(L, P, c, &lines[i], x, base_y, width);
        register_anchors(L, P, c, &lines[i], nch, &next_span);
        lay_end_item(L);
    }
    free(lines);
    free(c);
    return nl;
}
