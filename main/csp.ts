// The Content-Security-Policy of our pages. renderer/index.html carries the same policy in its
// meta tag (a test keeps the two equal); main also sends it as a response header.
// connect-src 'none': only the main process talks to the network.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
