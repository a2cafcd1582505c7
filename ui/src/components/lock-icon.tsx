/** A small padlock, drawn inline so it shows without an emoji font. */
export function LockIcon({ label }: { label: string }) {
  return (
    <svg className="lock" role="img" aria-label={label} width="12" height="12" viewBox="0 0 16 16">
      <title>{label}</title>
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}
