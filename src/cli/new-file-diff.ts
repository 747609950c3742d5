import { paint } from './output.js';

/** A unified diff that creates `file` with `text`, as `git diff` shows a new file. */
export function newFileDiff(file: string, text: string, color = false): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const out = [
    paint('bold', `--- /dev/null`, color),
    paint('bold', `+++ b/${file}`, color),
    paint('cyan', `@@ -0,0 +1,${lines.length} @@`, color),
    ...lines.map((line) => paint('green', `+${line}`, color)),
  ];
  if (!text.endsWith('\n')) out.push('\\ No newline at end of file');
  return `${out.join('\n')}\n`;
}
