{
  "targets": [
    {
      "target_name": "memory",
      "sources": ["memory.c"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
