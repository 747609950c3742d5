import type { IncomingMessage, ServerResponse } from 'node:http';

/** One server-sent-events connection, written to directly (no buffering framework in between). */
export interface SseChannel {
  readonly closed: boolean;
  /** Queues one event; false once the client is gone (or was dropped for not reading). */
  send(event: string, data: string, id?: number): boolean;
  /** A comment line: keeps proxies and the browser from timing the connection out. */
  ping(): void;
  onClose(listener: () => void): void;
  close(): void;
}

// A client that lets this much pile up unread is dropped; its EventSource reconnects and gets a
// fresh snapshot, so nothing is lost, only replaced.
const MAX_BACKLOG = 8 * 1024 * 1024;

export function openSse(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): SseChannel {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  let closed = false;
  const listeners: (() => void)[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const listener of listeners.splice(0)) listener();
  };
  res.on('close', finish);
  res.on('error', finish);
  const write = (text: string) => {
    if (closed) return false;
    if (res.writableLength > MAX_BACKLOG) {
      channel.close();
      return false;
    }
    res.write(text);
    return true;
  };
  const channel: SseChannel = {
    get closed() {
      return closed;
    },
    send(event, data, id) {
      // Data is JSON (no raw newlines); an event per line keeps the framing unambiguous.
      return write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`);
    },
    ping() {
      write(': ping\n\n');
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    close() {
      if (!closed) res.end();
      finish();
    },
  };
  write('retry: 1000\n\n');
  return channel;
}
