/** A commit message as Cairn writes it: subject, optional body, trailers last. */
export interface CommitMessage {
  subject: string;
  body?: string;
  trailers: [key: string, value: string][];
}

export function formatCommitMessage(message: CommitMessage): string {
  const parts = [message.subject.trim()];
  if (message.body && message.body.trim() !== '') parts.push(message.body.trim());
  if (message.trailers.length > 0) {
    parts.push(message.trailers.map(([key, value]) => `${key}: ${value}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** Reads the trailers of the last paragraph of a commit message (`Key: value` lines). */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  return parseTrailerLines(paragraphs.length > 1 ? (paragraphs[paragraphs.length - 1] ?? '') : '');
}

/** Reads `Key: value` lines, as `git … %(trailers:only)` prints them. */
export function parseTrailerLines(text: string): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) trailers.set(match[1], match[2].trim());
  }
  return trailers;
}
