import { runDoctor, type DoctorReport } from '../../engine/doctor/run-doctor.js';
import type { Finding, FindingStatus } from '../../engine/doctor/types.js';
import { EXIT } from '../../shared/errors.js';
import { paint, printJson, type Color } from '../output.js';

const marks: Record<FindingStatus, [string, Color]> = {
  ok: ['✓', 'green'],
  warn: ['!', 'yellow'],
  error: ['✗', 'red'],
};

function renderFinding(finding: Finding, color: boolean): string {
  const [mark, tint] = marks[finding.status];
  const line = `${paint(tint, mark, color)} ${finding.check.padEnd(9)} ${finding.message}`;
  return finding.fix && finding.status !== 'ok'
    ? `${line}\n${' '.repeat(12)}${paint('cyan', 'fix:', color)} ${finding.fix}`
    : line;
}

/** The report as a person reads it: repairs first, then one line per finding, then a summary. */
export function renderReport(report: DoctorReport, repairAsked: boolean, color = false): string {
  const lines: string[] = [];
  if (report.repaired.length > 0) {
    lines.push('Repaired:');
    for (const entry of report.repaired) {
      lines.push(
        `  ${entry.ok ? paint('green', '✓', color) : paint('red', '✗', color)} ${entry.check.padEnd(9)} ${entry.message}`,
      );
    }
    lines.push('', 'After repair:');
  }
  lines.push(...report.findings.map((finding) => renderFinding(finding, color)));
  const errors = report.findings.filter((f) => f.status === 'error').length;
  const warnings = report.findings.filter((f) => f.status === 'warn').length;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  lines.push('');
  if (errors === 0 && warnings === 0) lines.push('All checks passed.');
  else {
    const fixable = report.findings.some((f) => f.repair && f.status !== 'ok');
    const next =
      fixable && !repairAsked ? ' Run `cairn doctor --repair` to fix what can be fixed safely.' : '';
    lines.push(`${count(errors, 'error')}, ${count(warnings, 'warning')}.${next}`);
  }
  return lines.join('\n');
}

/** `cairn doctor [--repair] [--json]`: exit 0 when no error remains, 1 otherwise. */
export default async function doctor(options: { repair?: boolean; json?: boolean }): Promise<number> {
  const repair = options.repair === true;
  const report = await runDoctor({ cwd: process.cwd(), repair });
  if (options.json) {
    printJson({
      ok: report.ok,
      findings: report.findings.map(({ check, status, message, fix }) => ({ check, status, message, fix })),
      repaired: report.repaired,
    });
  } else {
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    process.stdout.write(`${renderReport(report, repair, color)}\n`);
  }
  return report.ok ? EXIT.ok : EXIT.workFailed;
}
