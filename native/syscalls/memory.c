// What an idle process hands back that Node has no way to: docs/ARCHITECTURE.md "Idle agent memory".
// - trim(): glibc's malloc_trim(0), the free pages of every malloc arena. glibc returns an
//   arena's memory on free() only from its top, and only above a threshold it raises as large
//   buffers are freed; an idle process keeps the freed middle of every thread's arena
//   resident otherwise. Off glibc it does nothing and returns false.
// - pageOut(start, length): madvise(MADV_PAGEOUT) over a mapping (Linux 5.4+). The kernel
//   reclaims the clean file pages in it that no other process maps; they are read again from
//   the file when next touched. Returns 0 or the errno (EINVAL on older kernels, ENOSYS off
//   Linux).
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <node_api.h>
#include "syscalls.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#endif

napi_value Trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  if (napi_get_boolean(env, released != 0, &result) != napi_ok) return NULL;
  return result;
}

napi_value PageOut(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int64_t start = 0, length = 0;
  int err = EINVAL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 2 &&
      napi_get_value_int64(env, argv[0], &start) == napi_ok &&
      napi_get_value_int64(env, argv[1], &length) == napi_ok && start > 0 && length > 0) {
#if defined(__linux__)
    err = madvise((void *)(uintptr_t)start, (size_t)length, MADV_PAGEOUT) == 0 ? 0 : errno;
#else
    err = ENOSYS;
#endif
  }
  napi_value result;
  if (napi_create_int32(env, err, &result) != napi_ok) return NULL;
  return result;
}
