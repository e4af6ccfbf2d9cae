{
  "targets": [
    {
      "target_name": "syscalls",
      "sources": ["memory.c", "stat.c", "module.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-ffp-contract=off"]
    }
  ]
}
