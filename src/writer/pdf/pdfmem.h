/* pdfmem.h — the memory libharu gets while a PDF is written (pdfmem.c): HPDF_NewEx's allocator
 * between nc_pdfmem_begin() and nc_pdfmem_end() on the same thread, with the document freed
 * (HPDF_Free) before the end. Outside such a pair, nc_pdfmem_alloc is plain malloc. */
#ifndef NC_PDFMEM_H
#define NC_PDFMEM_H

void nc_pdfmem_begin(void);
void nc_pdfmem_end(void);
/* NULL when out of memory (libharu then reports it) */
void *nc_pdfmem_alloc(unsigned size);
void nc_pdfmem_free(void *p);

#endif
