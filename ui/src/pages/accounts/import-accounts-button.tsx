/**
 * Imports accounts from a JSON file: a plain export of ours, our own account list, or the
 * reference's `{email, refresh_token}` list or account files; says what the accounts still need.
 */
import { useRef } from 'react';
import { api } from '../../api/api-client.js';
import type { Action } from '../../hooks/use-action.js';

export function ImportAccountsButton({ action }: { action: Action }) {
  const input = useRef<HTMLInputElement>(null);
  const importFile = async (file: File) => {
    await action.run(
      async () => {
        let document: unknown;
        try {
          document = JSON.parse(await file.text());
        } catch (error) {
          throw new Error(`${file.name} is not valid JSON: ${(error as Error).message}`);
        }
        return api.importAccounts(document);
      },
      (result) =>
        [
          `Imported ${file.name}: ${result.created.length} added, ${result.updated.length} updated.`,
          ...result.warnings,
        ].join(' '),
    );
  };
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={action.busy}>
        Import JSON…
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        aria-label="Account file to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
    </>
  );
}
