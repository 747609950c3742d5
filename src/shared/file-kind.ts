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
