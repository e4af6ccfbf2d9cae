// glibc's malloc_trim(0) for Node: hands the free pages of every malloc arena back to the
// system. glibc returns an arena's memory on free() only from its top, and only above a
// threshold it raises as large buffers are freed; an idle process keeps the freed middle of
// every thread's arena resident otherwise (docs/ARCHITECTURE.md "Idle agent memory").
// Elsewhere (musl, macOS, Windows) `trim()` does nothing and returns false.
#include <stdlib.h>
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value Trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  if (napi_get_boolean(env, released != 0, &result) != napi_ok) return NULL;
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
  return exports;
}
