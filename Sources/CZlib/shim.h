// CZlib: zlib's gzip reader, for reading .gz archives without unpacking them.
#include <zlib.h>
