/* eslint-disable no-console */
// Run by Maven before the plugin's checks: say what to do when node is too old or the install is missing.
const fs = require('fs');
const path = require('path');
require('./check-node');

const root = path.join(__dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.error(
    'backstage-plugin/node_modules is missing: run `npm ci` in backstage-plugin (as .ci/run does), then build again.',
  );
  process.exit(1);
}
console.log(`backstage-plugin: Node.js ${process.version}, dependencies installed`);
