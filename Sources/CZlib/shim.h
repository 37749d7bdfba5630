// CZlib: zlib, for reading .gz archives without unpacking them and for the deflated model weights.
#include <zlib.h>
