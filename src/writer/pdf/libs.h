/* libs.h — the PDF writer's libraries (libharu, fontconfig, libpng, libjpeg, harfbuzz-subset,
 * libunibreak), opened when a PDF is first typeset instead of when noteconv starts: mapping them
 * and what they pull in (freetype, glib, graphite2, brotli, expat, zlib) was half the start-up
 * of every conversion, most of which never typeset. A file includes this after a library's own
 * header; the functions of that library it calls then go through pointers that
 * nc_pdf_libs_open filled. A call to another function of these libraries needs its name in its
 * library's list here (the link fails on it until then). */
#ifndef NC_PDF_LIBS_H
#define NC_PDF_LIBS_H

#include "noteconv/noteconv.h"

/* Opens every library above, once per process (later calls give the first answer); -1 with an
 * error naming the library and its package when one cannot be loaded. */
int nc_pdf_libs_open(nc_diag *diag);
#endif

/* One table per library, declared where its header was included (its types are needed); the
 * sections below are outside the include guard so that a later include adds the tables of
 * headers included since. */
#define NC_PDF_FIELD(f) __typeof__(&f) f;

#if defined(_HPDF_OBJECTS_H) && !defined(NC_PDF_TABLE_HPDF)
#define NC_PDF_TABLE_HPDF
#define NC_PDF_HPDF(X) \
    X(HPDF_AddPage) \
    X(HPDF_Array_Add) \
    X(HPDF_Array_AddName) \
    X(HPDF_Array_AddNumber) \
    X(HPDF_Array_AddReal) \
    X(HPDF_Array_Clear) \
    X(HPDF_Array_New) \
    X(HPDF_CreateOutline) \
    X(HPDF_DictStream_New) \
    X(HPDF_Dict_Add) \
    X(HPDF_Dict_AddName) \
    X(HPDF_Dict_AddNumber) \
    X(HPDF_Dict_GetItem) \
    X(HPDF_Dict_New) \
    X(HPDF_Dict_RemoveElement) \
    X(HPDF_Free) \
    X(HPDF_GetEncoder) \
    X(HPDF_GetStreamSize) \
    X(HPDF_Image_AddSMask) \
    X(HPDF_LinkAnnot_SetBorderStyle) \
    X(HPDF_LoadJpegImageFromMem) \
    X(HPDF_LoadRawImageFromMem) \
    X(HPDF_New) \
    X(HPDF_NewEx) \
    X(HPDF_Null_New) \
    X(HPDF_Outline_SetDestination) \
    X(HPDF_Outline_SetOpened) \
    X(HPDF_Page_CreateDestination) \
    X(HPDF_Page_CreateLinkAnnot) \
    X(HPDF_Page_CreateURILinkAnnot) \
    X(HPDF_Page_SetHeight) \
    X(HPDF_Page_SetWidth) \
    X(HPDF_ReadFromStream) \
    X(HPDF_SaveToStream) \
    X(HPDF_SetCompressionMode) \
    X(HPDF_SetCurrentEncoder) \
    X(HPDF_SetInfoAttr) \
    X(HPDF_SetInfoDateAttr) \
    X(HPDF_SetPageMode) \
    X(HPDF_Stream_Write) \
    X(HPDF_Stream_WriteStr) \
    X(HPDF_String_New) \
    X(HPDF_UseUTFEncodings) \
    X(HPDF_Xref_Add)
typedef struct nc_pdf_hpdf_fns {
    NC_PDF_HPDF(NC_PDF_FIELD)
} nc_pdf_hpdf_fns;
extern nc_pdf_hpdf_fns nc_pdf_hpdf;
#ifndef NC_PDF_LIBS_LOADER
#define HPDF_AddPage (nc_pdf_hpdf.HPDF_AddPage)
#define HPDF_Array_Add (nc_pdf_hpdf.HPDF_Array_Add)
#define HPDF_Array_AddName (nc_pdf_hpdf.HPDF_Array_AddName)
#define HPDF_Array_AddNumber (nc_pdf_hpdf.HPDF_Array_AddNumber)
#define HPDF_Array_AddReal (nc_pdf_hpdf.HPDF_Array_AddReal)
#define HPDF_Array_Clear (nc_pdf_hpdf.HPDF_Array_Clear)
#define HPDF_Array_New (nc_pdf_hpdf.HPDF_Array_New)
#define HPDF_CreateOutline (nc_pdf_hpdf.HPDF_CreateOutline)
#define HPDF_DictStream_New (nc_pdf_hpdf.HPDF_DictStream_New)
#define HPDF_Dict_Add (nc_pdf_hpdf.HPDF_Dict_Add)
#define HPDF_Dict_AddName (nc_pdf_hpdf.HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber (nc_pdf_hpdf.HPDF_Dict_AddNumber)
#define HPDF_Dict_GetItem (nc_pdf_hpdf.HPDF_Dict_GetItem)
#define HPDF_Dict_New (nc_pdf_hpdf.HPDF_Dict_New)
#define HPDF_Dict_RemoveElement (nc_pdf_hpdf.HPDF_Dict_RemoveElement)
#define HPDF_Free (nc_pdf_hpdf.HPDF_Free)
#define HPDF_GetEncoder (nc_pdf_hpdf.HPDF_GetEncoder)
#define HPDF_GetStreamSize (nc_pdf_hpdf.HPDF_GetStreamSize)
#define HPDF_Image_AddSMask (nc_pdf_hpdf.HPDF_Image_AddSMask)
#define HPDF_LinkAnnot_SetBorderStyle (nc_pdf_hpdf.HPDF_LinkAnnot_SetBorderStyle)
#define HPDF_LoadJpegImageFromMem (nc_pdf_hpdf.HPDF_LoadJpegImageFromMem)
#define HPDF_LoadRawImageFromMem (nc_pdf_hpdf.HPDF_LoadRawImageFromMem)
#define HPDF_New (nc_pdf_hpdf.HPDF_New)
#define HPDF_NewEx (nc_pdf_hpdf.HPDF_NewEx)
#define HPDF_Null_New (nc_pdf_hpdf.HPDF_Null_New)
#define HPDF_Outline_SetDestination (nc_pdf_hpdf.HPDF_Outline_SetDestination)
#define HPDF_Outline_SetOpened (nc_pdf_hpdf.HPDF_Outline_SetOpened)
#define HPDF_Page_CreateDestination (nc_pdf_hpdf.HPDF_Page_CreateDestination)
#define HPDF_Page_CreateLinkAnnot (nc_pdf_hpdf.HPDF_Page_CreateLinkAnnot)
#define HPDF_Page_CreateURILinkAnnot (nc_pdf_hpdf.HPDF_Page_CreateURILinkAnnot)
#define HPDF_Page_SetHeight (nc_pdf_hpdf.HPDF_Page_SetHeight)
#define HPDF_Page_SetWidth (nc_pdf_hpdf.HPDF_Page_SetWidth)
#define HPDF_ReadFromStream (nc_pdf_hpdf.HPDF_ReadFromStream)
#define HPDF_SaveToStream (nc_pdf_hpdf.HPDF_SaveToStream)
#define HPDF_SetCompressionMode (nc_pdf_hpdf.HPDF_SetCompressionMode)
#define HPDF_SetCurrentEncoder (nc_pdf_hpdf.HPDF_SetCurrentEncoder)
#define HPDF_SetInfoAttr (nc_pdf_hpdf.HPDF_SetInfoAttr)
#define HPDF_SetInfoDateAttr (nc_pdf_hpdf.HPDF_SetInfoDateAttr)
#define HPDF_SetPageMode (nc_pdf_hpdf.HPDF_SetPageMode)
#define HPDF_Stream_Write (nc_pdf_hpdf.HPDF_Stream_Write)
#define HPDF_Stream_WriteStr (nc_pdf_hpdf.HPDF_Stream_WriteStr)
#define HPDF_String_New (nc_pdf_hpdf.HPDF_String_New)
#define HPDF_UseUTFEncodings (nc_pdf_hpdf.HPDF_UseUTFEncodings)
#define HPDF_Xref_Add (nc_pdf_hpdf.HPDF_Xref_Add)
#endif
#endif

#if defined(_FONTCONFIG_H_) && !defined(NC_PDF_TABLE_FC)
#define NC_PDF_TABLE_FC
#define NC_PDF_FC(X) \
    X(FcConfigSubstitute) \
    X(FcDefaultSubstitute) \
    X(FcFontMatch) \
    X(FcFontSetDestroy) \
    X(FcFontSort) \
    X(FcInit) \
    X(FcLangSetAdd) \
    X(FcLangSetCreate) \
    X(FcLangSetDestroy) \
    X(FcLangSetHasLang) \
    X(FcPatternAddBool) \
    X(FcPatternAddInteger) \
    X(FcPatternAddLangSet) \
    X(FcPatternAddString) \
    X(FcPatternCreate) \
    X(FcPatternDestroy) \
    X(FcPatternGetBool) \
    X(FcPatternGetInteger) \
    X(FcPatternGetLangSet) \
    X(FcPatternGetString)
typedef struct nc_pdf_fc_fns {
    NC_PDF_FC(NC_PDF_FIELD)
} nc_pdf_fc_fns;
extern nc_pdf_fc_fns nc_pdf_fc;
#ifndef NC_PDF_LIBS_LOADER
#define FcConfigSubstitute (nc_pdf_fc.FcConfigSubstitute)
#define FcDefaultSubstitute (nc_pdf_fc.FcDefaultSubstitute)
#define FcFontMatch (nc_pdf_fc.FcFontMatch)
#define FcFontSetDestroy (nc_pdf_fc.FcFontSetDestroy)
#define FcFontSort (nc_pdf_fc.FcFontSort)
#define FcInit (nc_pdf_fc.FcInit)
#define FcLangSetAdd (nc_pdf_fc.FcLangSetAdd)
#define FcLangSetCreate (nc_pdf_fc.FcLangSetCreate)
#define FcLangSetDestroy (nc_pdf_fc.FcLangSetDestroy)
#define FcLangSetHasLang (nc_pdf_fc.FcLangSetHasLang)
#define FcPatternAddBool (nc_pdf_fc.FcPatternAddBool)
#define FcPatternAddInteger (nc_pdf_fc.FcPatternAddInteger)
#define FcPatternAddLangSet (nc_pdf_fc.FcPatternAddLangSet)
#define FcPatternAddString (nc_pdf_fc.FcPatternAddString)
#define FcPatternCreate (nc_pdf_fc.FcPatternCreate)
#define FcPatternDestroy (nc_pdf_fc.FcPatternDestroy)
#define FcPatternGetBool (nc_pdf_fc.FcPatternGetBool)
#define FcPatternGetInteger (nc_pdf_fc.FcPatternGetInteger)
#define FcPatternGetLangSet (nc_pdf_fc.FcPatternGetLangSet)
#define FcPatternGetString (nc_pdf_fc.FcPatternGetString)
#endif
#endif

#if defined(PNG_H) && !defined(NC_PDF_TABLE_PNG)
#define NC_PDF_TABLE_PNG
#define NC_PDF_PNG(X) \
    X(png_create_info_struct) \
    X(png_create_read_struct) \
    X(png_destroy_read_struct) \
    X(png_error) \
    X(png_get_bit_depth) \
    X(png_get_channels) \
    X(png_get_eXIf_1) \
    X(png_get_error_ptr) \
    X(png_get_image_height) \
    X(png_get_image_width) \
    X(png_get_interlace_type) \
    X(png_get_io_ptr) \
    X(png_longjmp) \
    X(png_read_end) \
    X(png_read_image) \
    X(png_read_info) \
    X(png_read_row) \
    X(png_read_update_info) \
    X(png_set_expand) \
    X(png_set_interlace_handling) \
    X(png_set_longjmp_fn) \
    X(png_set_read_fn) \
    X(png_set_scale_16)
typedef struct nc_pdf_png_fns {
    NC_PDF_PNG(NC_PDF_FIELD)
} nc_pdf_png_fns;
extern nc_pdf_png_fns nc_pdf_png;
#ifndef NC_PDF_LIBS_LOADER
#define png_create_info_struct (nc_pdf_png.png_create_info_struct)
#define png_create_read_struct (nc_pdf_png.png_create_read_struct)
#define png_destroy_read_struct (nc_pdf_png.png_destroy_read_struct)
#define png_error (nc_pdf_png.png_error)
#define png_get_bit_depth (nc_pdf_png.png_get_bit_depth)
#define png_get_channels (nc_pdf_png.png_get_channels)
#define png_get_eXIf_1 (nc_pdf_png.png_get_eXIf_1)
#define png_get_error_ptr (nc_pdf_png.png_get_error_ptr)
#define png_get_image_height (nc_pdf_png.png_get_image_height)
#define png_get_image_width (nc_pdf_png.png_get_image_width)
#define png_get_interlace_type (nc_pdf_png.png_get_interlace_type)
#define png_get_io_ptr (nc_pdf_png.png_get_io_ptr)
#define png_longjmp (nc_pdf_png.png_longjmp)
#define png_read_end (nc_pdf_png.png_read_end)
#define png_read_image (nc_pdf_png.png_read_image)
#define png_read_info (nc_pdf_png.png_read_info)
#define png_read_row (nc_pdf_png.png_read_row)
#define png_read_update_info (nc_pdf_png.png_read_update_info)
#define png_set_expand (nc_pdf_png.png_set_expand)
#define png_set_interlace_handling (nc_pdf_png.png_set_interlace_handling)
#define png_set_longjmp_fn (nc_pdf_png.png_set_longjmp_fn)
#define png_set_read_fn (nc_pdf_png.png_set_read_fn)
#define png_set_scale_16 (nc_pdf_png.png_set_scale_16)
#endif
#endif

#if defined(JPEGLIB_H) && !defined(NC_PDF_TABLE_JPEG)
#define NC_PDF_TABLE_JPEG
#define NC_PDF_JPEG(X) \
    X(jpeg_CreateDecompress) \
    X(jpeg_destroy_decompress) \
    X(jpeg_finish_decompress) \
    X(jpeg_mem_src) \
    X(jpeg_read_header) \
    X(jpeg_read_scanlines) \
    X(jpeg_save_markers) \
    X(jpeg_start_decompress) \
    X(jpeg_std_error)
typedef struct nc_pdf_jpeg_fns {
    NC_PDF_JPEG(NC_PDF_FIELD)
} nc_pdf_jpeg_fns;
extern nc_pdf_jpeg_fns nc_pdf_jpeg;
#ifndef NC_PDF_LIBS_LOADER
#define jpeg_CreateDecompress (nc_pdf_jpeg.jpeg_CreateDecompress)
#define jpeg_destroy_decompress (nc_pdf_jpeg.jpeg_destroy_decompress)
#define jpeg_finish_decompress (nc_pdf_jpeg.jpeg_finish_decompress)
#define jpeg_mem_src (nc_pdf_jpeg.jpeg_mem_src)
#define jpeg_read_header (nc_pdf_jpeg.jpeg_read_header)
#define jpeg_read_scanlines (nc_pdf_jpeg.jpeg_read_scanlines)
#define jpeg_save_markers (nc_pdf_jpeg.jpeg_save_markers)
#define jpeg_start_decompress (nc_pdf_jpeg.jpeg_start_decompress)
#define jpeg_std_error (nc_pdf_jpeg.jpeg_std_error)
#endif
#endif

#if defined(HB_SUBSET_H) && !defined(NC_PDF_TABLE_HB)
#define NC_PDF_TABLE_HB
#define NC_PDF_HB(X) \
    X(hb_blob_create) \
    X(hb_blob_destroy) \
    X(hb_blob_get_data) \
    X(hb_blob_get_empty) \
    X(hb_face_create) \
    X(hb_face_create_for_tables) \
    X(hb_face_destroy) \
    X(hb_face_get_glyph_count) \
    X(hb_face_get_upem) \
    X(hb_face_reference) \
    X(hb_face_reference_blob) \
    X(hb_face_reference_table) \
    X(hb_face_set_glyph_count) \
    X(hb_face_set_upem) \
    X(hb_map_get) \
    X(hb_set_add) \
    X(hb_subset_input_create_or_fail) \
    X(hb_subset_input_destroy) \
    X(hb_subset_input_glyph_set) \
    X(hb_subset_input_set) \
    X(hb_subset_input_set_flags) \
    X(hb_subset_plan_create_or_fail) \
    X(hb_subset_plan_destroy) \
    X(hb_subset_plan_execute_or_fail) \
    X(hb_subset_plan_old_to_new_glyph_mapping) \
    X(hb_tag_from_string)
typedef struct nc_pdf_hb_fns {
    NC_PDF_HB(NC_PDF_FIELD)
} nc_pdf_hb_fns;
extern nc_pdf_hb_fns nc_pdf_hb;
#ifndef NC_PDF_LIBS_LOADER
#define hb_blob_create (nc_pdf_hb.hb_blob_create)
#define hb_blob_destroy (nc_pdf_hb.hb_blob_destroy)
#define hb_blob_get_data (nc_pdf_hb.hb_blob_get_data)
#define hb_blob_get_empty (nc_pdf_hb.hb_blob_get_empty)
#define hb_face_create (nc_pdf_hb.hb_face_create)
#define hb_face_create_for_tables (nc_pdf_hb.hb_face_create_for_tables)
#define hb_face_destroy (nc_pdf_hb.hb_face_destroy)
#define hb_face_get_glyph_count (nc_pdf_hb.hb_face_get_glyph_count)
#define hb_face_get_upem (nc_pdf_hb.hb_face_get_upem)
#define hb_face_reference (nc_pdf_hb.hb_face_reference)
#define hb_face_reference_blob (nc_pdf_hb.hb_face_reference_blob)
#define hb_face_reference_table (nc_pdf_hb.hb_face_reference_table)
#define hb_face_set_glyph_count (nc_pdf_hb.hb_face_set_glyph_count)
#define hb_face_set_upem (nc_pdf_hb.hb_face_set_upem)
#define hb_map_get (nc_pdf_hb.hb_map_get)
#define hb_set_add (nc_pdf_hb.hb_set_add)
#define hb_subset_input_create_or_fail (nc_pdf_hb.hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (nc_pdf_hb.hb_subset_input_destroy)
#define hb_subset_input_glyph_set (nc_pdf_hb.hb_subset_input_glyph_set)
#define hb_subset_input_set (nc_pdf_hb.hb_subset_input_set)
#define hb_subset_input_set_flags (nc_pdf_hb.hb_subset_input_set_flags)
#define hb_subset_plan_create_or_fail (nc_pdf_hb.hb_subset_plan_create_or_fail)
#define hb_subset_plan_destroy (nc_pdf_hb.hb_subset_plan_destroy)
#define hb_subset_plan_execute_or_fail (nc_pdf_hb.hb_subset_plan_execute_or_fail)
#define hb_subset_plan_old_to_new_glyph_mapping (nc_pdf_hb.hb_subset_plan_old_to_new_glyph_mapping)
#define hb_tag_from_string (nc_pdf_hb.hb_tag_from_string)
#endif
#endif

#if defined(LINEBREAK_H) && !defined(NC_PDF_TABLE_UB)
#define NC_PDF_TABLE_UB
#define NC_PDF_UB(X) \
    X(init_linebreak) \
    X(is_line_breakable) \
    X(set_linebreaks_utf32) \
    X(set_linebreaks_utf8)
typedef struct nc_pdf_ub_fns {
    NC_PDF_UB(NC_PDF_FIELD)
} nc_pdf_ub_fns;
extern nc_pdf_ub_fns nc_pdf_ub;
#ifndef NC_PDF_LIBS_LOADER
#define init_linebreak (nc_pdf_ub.init_linebreak)
#define is_line_breakable (nc_pdf_ub.is_line_breakable)
#define set_linebreaks_utf32 (nc_pdf_ub.set_linebreaks_utf32)
#define set_linebreaks_utf8 (nc_pdf_ub.set_linebreaks_utf8)
#endif
#endif
