// A link named a folder the host has not opened. Opening it reads (and for job output, collects)
// that folder, so it waits for the user: another page could have sent them this link.
export function LinkPrompt({ path, onAnswer }: { path: string; onAnswer: (open: boolean) => void }) {
  return (
    <div className="link-prompt" role="alertdialog" aria-label="Open the folder this link names?">
      <span>
        This link names <code>{path}</code>, which is not open. Open it?
      </span>
      <button type="button" onClick={() => onAnswer(true)}>
        Open
      </button>
      <button type="button" onClick={() => onAnswer(false)}>
        Ignore
      </button>
    </div>
  );
}
