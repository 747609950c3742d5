const cache = new Map<string, RegExp>();

/**
 * Whether a posix path is matched by any of the globs. Supports `**`, `*`, `?`, `[abc]`,
 * `{a,b}`; a glob that names a directory (`db`, `db/`, `db/**`) matches everything under it,
 * because task scopes are usually written as folders.
 */
export function matchesAnyGlob(path: string, globs: string[]): boolean {
  const target = normalize(path);
  return globs.some((glob) => compileGlob(glob).test(target));
}

function normalize(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
}

function compileGlob(glob: string): RegExp {
  let regex = cache.get(glob);
  if (regex === undefined) {
    const body = normalize(glob).replace(/\/+$/, '');
    // `(/.*)?`: the glob may match a directory that contains the path.
    regex = new RegExp(`^${translate(body)}(?:/.*)?$`);
    cache.set(glob, regex);
  }
  return regex;
}

function translate(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const end = i + 2;
      if (atStart && glob[end] === '/') {
        out += '(?:.*/)?'; // `**/` matches zero or more whole segments
        i = end + 1;
      } else {
        out += '.*';
        i = end;
      }
    } else if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        i++;
        continue;
      }
      const inner = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      out += inner.startsWith('!') ? `[^/${inner.slice(1)}]` : `[${inner}]`;
      i = close + 1;
    } else if (c === '{') {
      const close = matchingBrace(glob, i);
      if (close < 0) {
        out += '\\{';
        i++;
        continue;
      }
      const options = splitTopLevel(glob.slice(i + 1, close));
      out += `(?:${options.map(translate).join('|')})`;
      i = close + 1;
    } else {
      out += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
      i++;
    }
  }
  return out;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
