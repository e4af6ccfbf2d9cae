// Which files are worth a secret scan: anything but well-known binary formats (the secret
// scanner also skips content with NUL bytes, so this is only a cheap first cut).
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'tiff', 'psd', 'svgz',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'ear', 'whl', 'egg', 'nupkg', 'gem', 'deb', 'rpm', 'apk',
  'exe', 'dll', 'so', 'dylib', 'a', 'o', 'obj', 'lib', 'class', 'pyc', 'pyo', 'wasm', 'node', 'bin', 'dat',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt',
  'mp3', 'mp4', 'wav', 'ogg', 'flac', 'mov', 'avi', 'mkv', 'webm',
  'woff', 'woff2', 'ttf', 'otf', 'eot', 'ldb', 'sst',
])

export function isProbablyText(relPath: string): boolean {
  const slash = relPath.lastIndexOf('/')
  const dot = relPath.lastIndexOf('.')
  if (dot <= slash + 1) return true
  return !BINARY_EXTENSIONS.has(relPath.slice(dot + 1).toLowerCase())
}
