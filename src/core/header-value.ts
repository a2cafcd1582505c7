/**
 * `text` made safe as an HTTP header value: printable ASCII (space to `~`) is kept, every other
 * character — non-ASCII (`日本`, `✓`), control characters (`\n`), DEL — is percent-encoded as
 * UTF-8 (`%E6%97%A5`), a lone surrogate as U+FFFD. Node refuses to send anything else
 * (`ERR_INVALID_CHAR`), and a raw CR/LF would split the header. Client-chosen strings (model
 * names, account labels) go through this before they become headers.
 */
export function toHeaderValue(text: string): string {
  if (isPrintableAscii(text)) return text;
  let result = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) result += character;
    else if (code >= 0xd800 && code <= 0xdfff) result += '%EF%BF%BD';
    else result += encodeURIComponent(character);
  }
  return result;
}

function isPrintableAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}
