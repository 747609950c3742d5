export type FileKind = 'code' | 'test' | 'docs' | 'config';

const testPattern = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^/]+$|_test\.[^/]+$/;
const docsPattern = /\.(md|mdx|rst|txt|adoc)$|(^|\/)docs?\//i;
const configPattern =
  /\.(json|ya?ml|toml|ini|cfg|conf|lock)$|(^|\/)(\.[^/]+rc|Makefile|Dockerfile|\.gitignore|\.editorconfig)$|(^|\/)\.[^/]+$/;

/** What kind of file a path is, for commit summaries and progress weights. */
export function classifyFile(file: string): FileKind {
  if (testPattern.test(file)) return 'test';
  if (docsPattern.test(file)) return 'docs';
  if (configPattern.test(file)) return 'config';
  return 'code';
}

/** How much a changed file of each kind says about progress (DESIGN.md: code 1.0, test 0.8, docs 0.6, config 0.4). */
export const KIND_WEIGHTS: Readonly<Record<FileKind, number>> = {
  code: 1,
  test: 0.8,
  docs: 0.6,
  config: 0.4,
};

/** Files counted by kind, with their summed weights: add each distinct path once. */
export interface KindTally {
  byKind: Record<FileKind, number>;
  /** Sum of the kind weights of the paths added, to three decimals. */
  significance(): number;
  add(path: string): void;
}

export function kindTally(): KindTally {
  const byKind: Record<FileKind, number> = { code: 0, test: 0, docs: 0, config: 0 };
  let sum = 0;
  return {
    byKind,
    significance: () => Math.round(sum * 1000) / 1000,
    add(path) {
      const kind = classifyFile(path);
      byKind[kind]++;
      sum += KIND_WEIGHTS[kind];
    },
  };
}
