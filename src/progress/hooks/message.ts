/** Lines starting with these are comments when `core.commentChar` is `auto` (git's own list). */
const AUTO_COMMENT_CHARS = [...'#;@!$%^&|:'];

// `git commit --verbose` puts the diff below this line; nothing under it is part of the message.
const SCISSORS = /^\S+ -+ >8 -+$/;

/**
 * Whether a commit message file, as the commit-msg hook sees it, says nothing: only blank and
 * comment lines. Git aborts such a commit, unless a hook adds trailers, so the hook must not.
 */
export function isEmptyMessage(text: string, commentChar = '#'): boolean {
  const lines = text.split('\n');
  const end = lines.findIndex((line) => SCISSORS.test(line));
  const marks = commentChar === 'auto' ? AUTO_COMMENT_CHARS : [commentChar];
  return (end === -1 ? lines : lines.slice(0, end)).every(
    (line) => line.trim() === '' || marks.some((mark) => line.startsWith(mark)),
  );
}
