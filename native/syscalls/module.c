// The system calls Node has no way (or no cheap way) to make, as one Node-API addon that npm's
// install step builds where it can (scripts/build-native.js): memory.c for an idle process
// (glibc's malloc_trim, madvise MADV_PAGEOUT), stat.c for a rescan's walk (stats in batches).
#include <node_api.h>
#include "syscalls.h"

NAPI_MODULE_INIT() {
  const struct { const char *name; napi_callback fn; } exported[] = {
    { "trim", Trim }, { "pageOut", PageOut }, { "statMany", StatMany },
  };
  for (size_t i = 0; i < sizeof exported / sizeof exported[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, exported[i].name, NAPI_AUTO_LENGTH, exported[i].fn, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, exported[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}
