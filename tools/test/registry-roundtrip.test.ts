import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResultsDocument, createTensor, fixedIterations, measureSession } from '@ortbench/core';
import { collectEnvironment, writeResultsFile } from '@ortbench/core/node';
// @ts-expect-error: a plain .mjs script without types
import { publicPackages } from '../release/packages.mjs';
import { SHARED } from '../test-support/shared-data';

// The release as a user meets it: every public package published to a real registry (Verdaccio,
// on 127.0.0.1 with temporary storage, proxying third-party packages to the npm registry), then
// each installed alone in a fresh folder outside the workspace and its README's main use run there.
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-registry-'));
let verdaccio: ChildProcess | undefined;
let registry = '';
// A user's shell: none of the npm_* variables that `npm test` exported into this process.
const shellEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const npmEnv = () => ({ ...shellEnv(), NPM_CONFIG_USERCONFIG: path.join(scratch, 'npmrc'), npm_config_cache: path.join(scratch, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = path.join(scratch, 'verdaccio.yaml');
  await writeFile(
    config,
    [
      `storage: ${path.join(scratch, 'storage')}`,
      `auth: { htpasswd: { file: ${path.join(scratch, 'htpasswd')}, max_users: 1 } }`,
      'uplinks: { npmjs: { url: "https://registry.npmjs.org/", timeout: 120s } }',
      'packages:',
      "  '@ortbench/*': { access: $all, publish: $authenticated }",
      "  'ortbench': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, proxy: npmjs }",
      'log: { type: stdout, format: pretty, level: error }',
    ].join('\n'),
  );
  const manifest = require.resolve('verdaccio/package.json');
  const declared = (require(manifest) as { bin: string | Record<string, string> }).bin;
  const bin = path.join(path.dirname(manifest), typeof declared === 'string' ? declared : declared.verdaccio!);
  verdaccio = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${registry}-/ping`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const user = await fetch(`${registry}-/user/org.couchdb.user:ci`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ci', password: 'ci-only-password' }) });
  const { token } = (await user.json()) as { token: string };
  await writeFile(path.join(scratch, 'npmrc'), `//127.0.0.1:${port}/:_authToken=${token}\n`);
}, 60_000);

// Stopping the registry and removing a gigabyte of consumers' node_modules takes well over 10 s on
// a busy 2-core machine: the hook gets its own time, and a registry slow to stop is killed.
afterAll(async () => {
  if (verdaccio && verdaccio.exitCode === null) {
    const exited = new Promise((resolve) => verdaccio!.once('exit', resolve));
    verdaccio.kill('SIGTERM');
    const forced = setTimeout(() => verdaccio?.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  }
  await rm(scratch, { recursive: true, force: true });
}, 120_000);

/** A fresh folder outside the workspace with one package installed from the registry. */
async function consumer(name: string): Promise<string> {
  const dir = path.join(scratch, `consumer-${name.replace(/[@/]/g, '_')}`);
  await mkdir(dir, { recursive: true });
  // As the README says consumers should: deny onnxruntime-node's downloading postinstall.
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', allowScripts: { 'onnxruntime-node': false } }));
  const install = spawnSync('npm', ['install', name, '--registry', registry], { cwd: dir, env: npmEnv(), encoding: 'utf8' });
  expect(install.status, install.stderr).toBe(0);
  return dir;
}

/** The first ```ts block of the package's README, with its placeholder files made real. */
async function readmeExample(pkg: { dir: string }, files: Record<string, string>): Promise<string> {
  const readme = await readFile(path.join(pkg.dir, 'README.md'), 'utf8');
  let code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  for (const [literal, file] of Object.entries(files)) code = code.replaceAll(literal, JSON.stringify(file));
  return code;
}

/**
 * Type-checks the example against the installed package's declarations as a strict project does:
 * libraries checked too (skipLibCheck off) and only Node's ambient types listed, so a declaration
 * that leans on a global another package happens to install (protobufjs's `Long`) fails here.
 */
async function typeCheck(dir: string, code: string): Promise<{ status: number | null; output: string }> {
  await writeFile(path.join(dir, 'example.ts'), code);
  const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], typeRoots: [path.join(dir, 'node_modules/@types'), path.join(root, 'node_modules/@types')] };
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['example.ts'] }));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}

describe.skipIf(!SHARED)('the packages from a real registry, each installed alone', () => {
  const packages: { name: string; version: string; dir: string }[] = publicPackages(root);

  it('publishes every public package with the release target', () => {
    for (const pkg of packages) {
      const publish = spawnSync(process.execPath, [path.join(root, 'tools/release/publish.mjs'), `--registry=${registry}`], { cwd: pkg.dir, env: npmEnv(), encoding: 'utf8' });
      expect(publish.status, `${pkg.name}: ${publish.stderr}`).toBe(0);
      const view = spawnSync('npm', ['view', `${pkg.name}@${pkg.version}`, 'version', '--registry', registry], { env: npmEnv(), encoding: 'utf8' });
      expect(view.stdout.trim(), pkg.name).toBe(pkg.version);
    }
  }, 180_000);

  for (const name of ['@ortbench/core', '@ortbench/runners', '@ortbench/preprocess', '@ortbench/reporters', '@ortbench/models', '@ortbench/tasks']) {
    it(`${name}: installs alone, its README's main use type-checks strictly and runs`, async () => {
      const pkg = packages.find((p) => p.name === name)!;
      const dir = await consumer(name);
      const results = path.join(dir, 'results.json');
      if (name === '@ortbench/reporters') {
        const session = { info: { runner: 'x', executionProvider: 'js', settings: {} }, inputs: [], outputs: [], run: async () => ({ outputs: { y: createTensor('float32', new Float32Array(1), [1]) } }), dispose: async () => {} };
        const measurement = await measureSession(session, { feeds: {}, stop: fixedIterations(5) });
        await writeResultsFile(results, createResultsDocument({ tool: { name: 'ortbench', version: '0' }, environment: collectEnvironment() }, [{ status: 'completed', configuration: { id: 'runner=x model=m batch=1', runner: 'x', model: 'm', batchSize: 1, options: {} }, measurement }]));
      }
      const code = await readmeExample(pkg, {
        "'model.onnx'": path.join(SHARED!, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx'),
        "'photo.jpg'": path.join(SHARED!, 'images/giant-panda.jpg'),
        "'vocab.txt'": path.join(SHARED!, 'vocab/bert-base-uncased/vocab.txt'),
        "'results.json'": results,
        "'reports/'": path.join(dir, 'reports'),
      });
      const checked = await typeCheck(dir, code);
      expect(checked.status, checked.output).toBe(0);
      await writeFile(path.join(dir, 'example.mjs'), (await transform(code, { loader: 'ts', format: 'esm' })).code);
      const run = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, env: { ...shellEnv(), ORTBENCH_CACHE_DIR: path.join(dir, 'cache') }, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.length, `${name} printed nothing`).toBeGreaterThan(0);
    }, 300_000);
  }

  it('ortbench: installs alone and `npx ortbench bench resnet50-tiny` writes its reports', async () => {
    const dir = await consumer('ortbench');
    const bench = spawnSync('npx', ['ortbench', 'bench', 'resnet50-tiny', '--batch', '1,2', '--max-duration', '1', '--out', 'out'], { cwd: dir, env: { ...npmEnv(), ORTBENCH_CACHE_DIR: path.join(dir, 'cache') }, encoding: 'utf8' });
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stderr).not.toMatch(/npm warn/i);
    expect(existsSync(path.join(dir, 'out', 'report.html'))).toBe(true);
    const document = JSON.parse(await readFile(path.join(dir, 'out', 'results.json'), 'utf8')) as { results: { status: string }[] };
    expect(document.results.map((r) => r.status)).toEqual(['completed', 'completed']);
  }, 300_000);
});
