/**
 * The window's Content-Security-Policy, the same in every host: only Joule's own scripts, no
 * remote content, no eval. Inline style attributes are allowed because Vue style bindings and
 * echarts set them; inline scripts are not.
 */
const directives = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** For `<meta http-equiv>` in index.html (browsers ignore frame-ancestors there, with a warning). */
export const metaContentSecurityPolicy = directives.join('; ');

/** For HTTP response headers (browser host, Electron session). */
export const contentSecurityPolicy = [...directives, "frame-ancestors 'none'"].join('; ');
