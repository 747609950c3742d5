import { Text, useApp, useInput, useStdout, type Key } from 'ink';
import { createElement as h, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Dashboard, layoutOf, type Mode } from './dashboard.js';
import type { WatchAction, WatchSnapshot, WatchSource } from './model.js';

export interface AppProps {
  source: WatchSource;
  intervalMs: number;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  onQuit?: () => void;
}

const ACTION_KEYS: Record<string, WatchAction> = { r: 'retry', s: 'skip', u: 'unblock' };
const LOG_LINES = 200;

function useTerminalSize(fixed: AppProps['size']) {
  const { stdout } = useStdout();
  const read = useCallback(
    () => fixed ?? { columns: stdout.columns || 100, rows: stdout.rows || 30 },
    [fixed, stdout],
  );
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [fixed, read, stdout]);
  return size;
}

/** Polls `read` every `intervalMs`; state changes (and so renders) only when the result differs. */
function usePolled<T>(read: (() => Promise<T>) | null, intervalMs: number) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef('');
  const now = useRef<() => void>(() => undefined);
  useEffect(() => {
    if (!read) return;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async (again: boolean) => {
      try {
        const next = await read();
        const key = JSON.stringify(next);
        if (!stopped && key !== last.current) {
          last.current = key;
          setValue(next);
        }
        if (!stopped) setError(null);
      } catch (failure) {
        if (!stopped) setError((failure as Error).message);
      }
      if (again && !stopped) timer = setTimeout(() => void tick(true), intervalMs);
    };
    now.current = () => void tick(false);
    void tick(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [read, intervalMs]);
  return { value, error, refresh: () => now.current() };
}

/** `cairn watch`: the live dashboard with its keys. */
export function App(props: AppProps): ReactNode {
  const { source, intervalMs, onQuit } = props;
  const { exit } = useApp();
  const size = useTerminalSize(props.size);
  const readSnapshot = useCallback(() => source.read(), [source]);
  const { value: snapshot, error, refresh } = usePolled<WatchSnapshot>(readSnapshot, intervalMs);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'dashboard' });
  const [message, setMessage] = useState<string | null>(null);
  const logTask = mode.kind === 'log' ? mode.task : null;
  const readLog = useCallback(
    () => (logTask ? source.logTail(logTask, LOG_LINES) : Promise.resolve([])),
    [logTask, source],
  );
  const log = usePolled<string[]>(logTask ? readLog : null, intervalMs);

  const tasks = snapshot?.tasks ?? [];
  const selected = Math.max(
    0,
    tasks.findIndex((t) => t.id === selectedId),
  );
  // Keys can arrive faster than renders: the handler reads and moves these, not stale state.
  const current = useRef({ selected, mode });
  current.current = { selected, mode };
  const switchTo = (next: Mode) => {
    current.current.mode = next;
    setMode(next);
  };

  const act = (action: WatchAction, id: string) => {
    switchTo({ kind: 'busy', action, task: id });
    source
      .act(action, id)
      .then((outcome) => setMessage(outcome))
      .catch((failure: Error) => setMessage(`${action} failed: ${failure.message}`))
      .finally(() => {
        switchTo({ kind: 'dashboard' });
        refresh();
      });
  };

  useInput((input: string, key: Key) => {
    const { mode: now, selected: at } = current.current;
    const task = tasks[at];
    if (now.kind === 'busy') return;
    if (now.kind === 'confirm') {
      if (input === 'y' || input === 'Y') act(now.action, now.task);
      else {
        switchTo({ kind: 'dashboard' });
        setMessage(`${now.action} cancelled`);
      }
      return;
    }
    if (input === 'q') {
      onQuit?.();
      exit();
      return;
    }
    if (key.escape && now.kind === 'log') return switchTo({ kind: 'dashboard' });
    if (key.return && task) {
      return switchTo(now.kind === 'log' ? { kind: 'dashboard' } : { kind: 'log', task: task.id });
    }
    const action = ACTION_KEYS[input];
    if (action && task) return switchTo({ kind: 'confirm', action, task: task.id });
    if (!snapshot || tasks.length === 0) return;
    const { perLine } = layoutOf(snapshot, size);
    const step = key.leftArrow
      ? -1
      : key.rightArrow
        ? 1
        : key.upArrow
          ? -perLine
          : key.downArrow
            ? perLine
            : 0;
    if (step === 0) return;
    const next = Math.min(tasks.length - 1, Math.max(0, at + step));
    current.current.selected = next;
    setSelectedId(tasks[next]!.id);
    if (now.kind === 'log') switchTo({ kind: 'log', task: tasks[next]!.id });
  });

  if (!snapshot) return h(Text, {}, error ? `cannot read the state: ${error}` : 'reading the state…');
  return h(Dashboard, {
    snapshot,
    size,
    intervalMs,
    selected,
    mode,
    logLines: log.value ?? [],
    message: error ? `cannot read the state: ${error}` : message,
    interactive: true,
  });
}
