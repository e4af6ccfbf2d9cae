// The functions the addon exports (module.c), one file each by what they call.
#include <node_api.h>

napi_value Trim(napi_env env, napi_callback_info info);
napi_value PageOut(napi_env env, napi_callback_info info);
napi_value StatMany(napi_env env, napi_callback_info info);
