import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveFiles } from '../src/browser/static-server';

function get(url: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the browser runner's server", () => {
  it('listens on 127.0.0.1, a random port, with cross-origin isolation headers', async () => {
    const server = await serveFiles(new Map([['/', { type: 'text/html', body: '<p>hi</p>' }]]));
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await get(`${server.url}/`);
      expect(page).toMatchObject({ status: 200, body: '<p>hi</p>' });
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    } finally {
      await server.close();
    }
  });

  it('serves only the files of the run: anything else is 404, writes are 405', async () => {
    const server = await serveFiles(new Map([['/model.onnx', { type: 'application/octet-stream', body: new Uint8Array([1, 2]) }]]));
    try {
      expect((await get(`${server.url}/../package.json`)).status).toBe(404);
      expect((await get(`${server.url}/etc/passwd`)).status).toBe(404);
      expect((await get(`${server.url}/model.onnx`, 'POST')).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
