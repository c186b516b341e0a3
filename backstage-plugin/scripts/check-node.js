/* eslint-disable no-console */
// Fails early, with what to install, on a Node.js too old for the plugin's tests (jsdom needs 20.19).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `backstage-plugin needs Node.js 20.19 or newer (jsdom, used by its tests); this is ${process.version}. ` +
      'Install a newer nodejs package, then run `npm ci` in backstage-plugin.',
  );
  process.exit(1);
}
