// statMany(paths, count, follow, out): lstat (stat with `follow`: through a final symlink)
// of `count` NUL-separated paths in one call. A rescan's walk stats ~20,000 paths on the
// scan's thread; fs.lstatSync makes a Stats object for each through Node's fs layer (~1.7 µs a
// path on bench:scan's tree, the system call ~1 µs of it). For path i, out[4i..4i+3] = kind
// (0: absent or not stat'able, 1: regular file, 2: directory, 3: symlink, 4: other), size,
// mtimeMs, ctimeMs; the milliseconds computed as Node computes them (seconds * 1e3 plus
// nanoseconds / 1e6, in doubles, no fused multiply-add: binding.gyp), so they compare equal
// to fs.statSync's. Throws a TypeError on arguments of another shape.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <node_api.h>
#include "syscalls.h"

static double ms(struct timespec t) {
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

napi_value StatMany(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  uint32_t count = 0;
  bool follow = false;
  size_t length = 0;
  napi_typedarray_type type;
  size_t slots = 0;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4 ||
      napi_get_value_string_utf8(env, argv[0], NULL, 0, &length) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &count) != napi_ok ||
      napi_get_value_bool(env, argv[2], &follow) != napi_ok ||
      napi_get_typedarray_info(env, argv[3], &type, &slots, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || slots < 4 * (size_t)count) {
    return fail(env, "statMany(paths: string, count: number, follow: boolean, out: Float64Array(4 * count))");
  }
  char *text = malloc(length + 1);
  if (text == NULL) return fail(env, "statMany: out of memory");
  napi_get_value_string_utf8(env, argv[0], text, length + 1, &length);
  double *out = data;
  const char *path = text;
  const char *end = text + length;
  for (uint32_t i = 0; i < count; i++) {
    double *o = out + 4 * (size_t)i;
    struct stat st;
    if (path > end || (follow ? stat(path, &st) : lstat(path, &st)) != 0) {
      o[0] = o[1] = o[2] = o[3] = 0;
    } else {
      o[0] = S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 2 : S_ISLNK(st.st_mode) ? 3 : 4;
      o[1] = (double)st.st_size;
      o[2] = ms(st.st_mtim);
      o[3] = ms(st.st_ctim);
    }
    if (path <= end) path += strlen(path) + 1;
  }
  free(text);
  return NULL;
}
