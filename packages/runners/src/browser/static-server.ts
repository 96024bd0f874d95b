import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One file the server may hand out. */
export interface ServedFile {
  body: Uint8Array | string | (() => Promise<Uint8Array>);
  type: string;
}

/**
 * Serves exactly the files it is given, on 127.0.0.1 and a random port, with the COOP/COEP
 * headers that cross-origin isolation (SharedArrayBuffer, multi-threaded wasm) needs.
 * Any other path is 404; nothing but GET and HEAD is answered.
 */
export async function serveFiles(files: ReadonlyMap<string, ServedFile>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !file) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    try {
      const body = typeof file.body === 'function' ? await file.body() : file.body;
      response.writeHead(200, {
        'Content-Type': file.type,
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
