/** Copies text to the clipboard, with a fallback for pages that are not a secure context (LAN over http). */
import { useNotify } from '../hooks/notices.js';

async function copyText(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('The browser did not allow copying; select the text and copy it by hand.');
}

export function CopyButton({ text, label, what }: { text: string; label?: string; what: string }) {
  const notify = useNotify();
  return (
    <button
      type="button"
      aria-label={`Copy ${what}`}
      onClick={() => copyText(text).then(() => notify.success(`Copied ${what}`), notify.error)}
    >
      {label ?? 'Copy'}
    </button>
  );
}
