// nx release's version actions for this workspace's npm packages. Nx 24's default
// (@nx/js/src/release/version-actions) has no @nx/js 24 release on our registry, so this small
// implementation stands in: versions live in each package.json, and a workspace dependency is
// a caret range of the version it depends on (bumped together, since the group is fixed).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { VersionActions } = require('nx/release');

const COLLECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

class NpmVersionActions extends VersionActions {
  validManifestFilenames = ['package.json'];

  manifestPath() {
    return path.join(this.projectGraphNode.data.root, 'package.json');
  }

  readManifest(tree, file = this.manifestPath()) {
    return JSON.parse(tree.read(file, 'utf-8'));
  }

  async readCurrentVersionFromSourceManifest(tree) {
    const manifest = this.readManifest(tree);
    return { currentVersion: manifest.version, manifestPath: this.manifestPath() };
  }

  async readCurrentVersionFromRegistry(tree, metadata) {
    const { name } = this.readManifest(tree);
    const registry = metadata?.registry;
    try {
      const version = execFileSync('npm', ['view', name, 'version', ...(registry ? ['--registry', registry] : [])], { encoding: 'utf8' }).trim();
      return { currentVersion: version || null, logText: `npm view ${name} version → ${version || 'none'}` };
    } catch {
      return { currentVersion: null, logText: `${name} is not on the registry yet` };
    }
  }

  async readCurrentVersionOfDependency(tree, projectGraph, dependencyProjectName) {
    const manifest = this.readManifest(tree);
    const dependencyName = projectGraph.nodes[dependencyProjectName]?.data.metadata?.js?.packageName ?? dependencyProjectName;
    for (const collection of COLLECTIONS) {
      const range = manifest[collection]?.[dependencyName];
      if (range) return { currentVersion: range.replace(/^[~^=]/, ''), dependencyCollection: collection };
    }
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(tree, newVersion) {
    const manifest = this.readManifest(tree);
    const previous = manifest.version;
    manifest.version = newVersion;
    tree.write(this.manifestPath(), `${JSON.stringify(manifest, null, 2)}\n`);
    return [`${manifest.name}: ${previous} → ${newVersion} in ${this.manifestPath()}`];
  }

  async updateProjectDependencies(tree, projectGraph, dependenciesToUpdate) {
    const manifest = this.readManifest(tree);
    const logs = [];
    for (const [project, version] of Object.entries(dependenciesToUpdate)) {
      const name = projectGraph.nodes[project]?.data.metadata?.js?.packageName ?? project;
      for (const collection of COLLECTIONS) {
        if (!manifest[collection]?.[name] || manifest[collection][name] === '*') continue; // '*': private tooling
        manifest[collection][name] = `^${version}`;
        logs.push(`${manifest.name}: ${collection} ${name} → ^${version}`);
      }
    }
    if (logs.length) tree.write(this.manifestPath(), `${JSON.stringify(manifest, null, 2)}\n`);
    return logs;
  }
}

module.exports = NpmVersionActions;
module.exports.default = NpmVersionActions;
