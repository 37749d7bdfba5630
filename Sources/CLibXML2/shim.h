// CLibXML2: libxml2's streaming reader (xmlTextReader), for XML archives.
//
// Debian's libxml2 is built with ICU, so <libxml/encoding.h> would pull in
// the system's ICU headers, whose types clash with the ICU that Foundation
// bundles ("'UErrorCode' has different definitions in different modules") in
// any module that imports both. Nothing here needs libxml2's ICU converter
// fields, so the headers are read as if ICU were off; the library is unchanged.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
