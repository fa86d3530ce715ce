/* subset.c — font subsetting with harfbuzz (hb-subset): keeps the used glyphs (and the
 * components they are built from), renumbers them densely and drops hinting and layout
 * tables a PDF does not use. No PDF objects here: the backend embeds the result. */
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "subset.h"
#include "writer/pdf/libs.h" /* last: it redirects the libraries' names */

/* The tables a PDF's TrueType font program keeps; the others are not shown to harfbuzz. */
static hb_blob_t *only_kept(hb_face_t *face, hb_tag_t tag, void *user)
{
    (void)face;
    static const char *const keep[] = {"glyf", "loca", "head", "hhea", "hmtx", "maxp", "OS/2"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (tag == hb_tag_from_string(keep[i], 4))
            return hb_face_reference_table((hb_face_t *)user, tag);
    return hb_blob_get_empty();
}

int nc_subset_make(const nc_font *f, const unsigned char *used, nc_subset *out, nc_diag *diag)
{
    memset(out, 0, sizeof *out);
    size_t len;
    const unsigned char *data = nc_font_data(f, &len);
    unsigned n = nc_font_num_glyphs(f);
    hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)len,
                                     HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *whole = hb_face_create(blob, (unsigned)nc_font_index(f));
    hb_blob_destroy(blob);
    /* harfbuzz sees the face without the tables we drop: planning a subset otherwise reads
     * the whole cmap and the layout tables of a Japanese face, which costs more than the
     * rest of a conversion */
    hb_face_t *face = hb_face_create_for_tables(only_kept, hb_face_reference(whole),
                                                (hb_destroy_func_t)hb_face_destroy);
    hb_face_set_upem(face, hb_face_get_upem(whole));
    hb_face_set_glyph_count(face, hb_face_get_glyph_count(whole));
    hb_face_destroy(whole);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    int rc = -1;
    hb_subset_plan_t *plan = NULL;
    hb_face_t *sub = NULL;
    if (!in)
        goto done;
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0);
    for (unsigned g = 0; g < n; g++)
        if (used[g])
            hb_set_add(glyphs, g);
    /* Hinting is for screens at small sizes and PDF viewers mostly ignore it; layout tables
     * are for shaping, which is done by the time glyphs reach a PDF; and a CIDFontType2
     * reaches its glyphs through CIDToGIDMap, not the font's cmap. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const tags[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern",
                                       "morx", "mort", "vhea", "vmtx", "VORG", "DSIG", "hdmx",
                                       "LTSH", "VDMX", "gasp", "name", "post", "cmap"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        hb_set_add(drop, hb_tag_from_string(tags[i], 4));
    plan = hb_subset_plan_create_or_fail(face, in);
    if (!plan)
        goto done;
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub)
        goto done;
    hb_blob_t *res = hb_face_reference_blob(sub);
    unsigned rlen = 0;
    const char *rdata = hb_blob_get_data(res, &rlen);
    if (rlen) {
        out->data = nc_xmalloc(rlen);
        memcpy(out->data, rdata, rlen);
        out->len = rlen;
    }
    hb_blob_destroy(res);
    if (!out->len)
        goto done;
    out->new_of_old = nc_xcalloc(n ? n : 1, sizeof *out->new_of_old);
    unsigned max = 0;
    for (unsigned g = 0; g < n; g++) {
        hb_codepoint_t v = hb_map_get(map, g);
        if (v != HB_MAP_VALUE_INVALID && v < 65535) {
            out->new_of_old[g] = (uint16_t)v;
            if (v + 1 > max)
                max = v + 1;
        }
    }
    out->nglyphs = max;
    out->old_of_new = nc_xcalloc(max ? max : 1, sizeof *out->old_of_new);
    for (unsigned g = 0; g < n; g++)
        if (out->new_of_old[g] || g == 0)
            out->old_of_new[out->new_of_old[g]] = (uint16_t)g;
    rc = 0;
done:
    if (rc != 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "cannot subset the font %s (harfbuzz)",
                       nc_font_path(f));
        nc_subset_free(out);
    }
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    return rc;
}

void nc_subset_free(nc_subset *s)
{
    free(s->data);
    free(s->old_of_new);
    free(s->new_of_old);
    memset(s, 0, sizeof *s);
}
