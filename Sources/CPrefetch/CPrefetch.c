// The module is its header's inline function; SwiftPM wants one translation unit per C target.
#include "CPrefetch.h"
