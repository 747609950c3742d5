/** A review phase's answer: approve, or reject with what must change. */
export interface Verdict {
  approved: boolean;
  /** False when the reviewer gave no verdict line (which counts as a rejection). */
  clear: boolean;
  /** What the reviewer wrote besides the verdict; for a rejection, what must change. */
  text: string;
}

/** The longest review text kept, in prompts and the journal. */
export const MAX_REVIEW_CHARS = 4000;

// `REVIEW: approve` or `REVIEW: reject <reason>`, also inside Markdown emphasis or a list item.
const VERDICT = /^[\s*_`>#-]*REVIEW\s*:\s*(approved?|reject(?:ed)?)\b[\s*_`:.,;–—-]*(.*?)[\s*_`]*$/i;

/**
 * Reads the verdict from the review file when it holds one (its first verdict line), else from
 * the last verdict line of the phase's output that is not a line of its prompt (some agent CLIs
 * echo the prompt, which quotes the verdict lines and earlier reviews). No verdict at all is an
 * unclear rejection.
 */
export function readVerdict(file: string | undefined, output: string, prompt = ''): Verdict {
  if (file !== undefined) {
    const lines = file.split(/\r?\n/);
    const at = lines.findIndex((line) => VERDICT.test(line));
    if (at >= 0) {
      const [, word = '', reason = ''] = VERDICT.exec(lines[at]!) ?? [];
      const rest = lines.filter((_, index) => index !== at).join('\n');
      return verdict(word, [reason, rest.trim()].filter(Boolean).join('\n'));
    }
  }
  const echoed = new Set(prompt.split(/\r?\n/).map((line) => line.trim()));
  const lines = output.split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    if (echoed.has(lines[index]!.trim())) continue;
    const match = VERDICT.exec(lines[index]!);
    if (match) return verdict(match[1] ?? '', match[2] ?? '');
  }
  const said = (file ?? output).trim();
  const tail = said.length > 1500 ? `…${said.slice(-1500)}` : said;
  return {
    approved: false,
    clear: false,
    text: bounded(
      `the review gave no verdict (no \`REVIEW: approve\` or \`REVIEW: reject\` line)${tail ? `; it said:\n${tail}` : ''}`,
    ),
  };
}

function verdict(word: string, text: string): Verdict {
  return { approved: word.toLowerCase().startsWith('approve'), clear: true, text: bounded(text.trim()) };
}

function bounded(text: string): string {
  return text.length > MAX_REVIEW_CHARS ? `${text.slice(0, MAX_REVIEW_CHARS)}…` : text;
}
