import type { ActionResult } from '../model.js';

/** The token from the URL `cairn serve` printed; it goes with every request. */
export const token = new URLSearchParams(location.search).get('token') ?? '';

export const withToken = (path: string) =>
  `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { 'X-Cairn-Token': token } });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `${response.status} ${response.statusText}`);
  return body;
}

/** Actions: POST, JSON, the token in a header (never in the URL). */
export async function post(path: string, body: unknown = {}): Promise<ActionResult> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'X-Cairn-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  try {
    return (await response.json()) as ActionResult;
  } catch {
    return { ok: false, message: `${response.status} ${response.statusText}` };
  }
}

export type Handlers = Record<string, (data: unknown) => void>;

/**
 * A server-sent-events stream; the browser reconnects by itself and the server answers a
 * reconnection with a fresh snapshot. `onState` reports the connection for the status line.
 */
export function stream(path: string, handlers: Handlers, onState: (text: string) => void): () => void {
  const source = new EventSource(withToken(path));
  for (const [event, handle] of Object.entries(handlers)) {
    source.addEventListener(event, (e) => handle(JSON.parse((e as MessageEvent<string>).data)));
  }
  source.onopen = () => onState('live');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…');
  return () => source.close();
}
