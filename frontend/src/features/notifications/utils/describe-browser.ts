/** "Chrome · Android" from a User-Agent string, for the list of subscribed devices; null when unknown. */
export function describeBrowser(userAgent: string): string | null {
  const ua = userAgent || '';
  const browser =
    /Edg(A|iOS)?\//.test(ua) ? 'Edge'
    : /SamsungBrowser\//.test(ua) ? 'Samsung Internet'
    : /(Firefox|FxiOS)\//.test(ua) ? 'Firefox'
    : /(Chrome|CriOS|Chromium)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : null;
  const os =
    /iPhone|iPad|iPod/.test(ua) ? 'iOS'
    : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /CrOS/.test(ua) ? 'ChromeOS'
    : /Linux/.test(ua) ? 'Linux'
    : null;
  const parts = [browser, os].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}
