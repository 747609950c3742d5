import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requireToken } from './auth.js';

const app = new Hono();
app.use(
  '*',
  requireToken('secret', () => 4650),
);
app.get('/x', (c) => c.text('ok'));
app.post('/x', (c) => c.text('done'));

const host = { Host: '127.0.0.1:4650' };
const post = (headers: Record<string, string>) => app.request('/x', { method: 'POST', headers });

describe('requireToken', () => {
  it('lets a page load with the token in the URL or a header, and nothing without it', async () => {
    expect((await app.request('/x', { headers: host })).status).toBe(401);
    expect((await app.request('/x?token=secreT', { headers: host })).status).toBe(401);
    expect((await app.request('/x?token=secret', { headers: host })).status).toBe(200);
    expect((await app.request('/x', { headers: { ...host, 'X-Cairn-Token': 'secret' } })).status).toBe(200);
    expect((await app.request('/x?token=secret', { headers: { Host: 'evil.example' } })).status).toBe(403);
  });

  it('takes actions only as JSON, with the token in a header, from this origin', async () => {
    const json = { ...host, 'Content-Type': 'application/json' };
    expect((await app.request('/x?token=secret', { method: 'POST', headers: json })).status).toBe(401);
    expect((await post({ ...json, 'X-Cairn-Token': 'secret' })).status).toBe(200);
    const own = { ...json, 'X-Cairn-Token': 'secret', Origin: 'http://127.0.0.1:4650' };
    expect((await post(own)).status).toBe(200);
    expect((await post({ ...own, Origin: 'http://localhost:4651' })).status).toBe(403);
    expect((await post({ ...own, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await post({ ...own, 'Content-Type': 'text/plain' })).status).toBe(415);
  });
});
