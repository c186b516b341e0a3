/* eslint-disable no-console */
// Photographs the dev harness's Migrations tab in headless Chromium: start `npm start` first, then
// `node scripts/screenshot.js [path] [output]` (defaults: /flotilla-entity, ../docs/backstage-plugin.png).
// It signs in as the dev app's guest through localStorage, as a person clicking "Enter" would.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const WebSocket = require('ws');

const APP = process.env.APP_URL || 'http://localhost:3000';
const PAGE = process.argv[2] || '/flotilla-entity';
const OUT = path.resolve(
  process.argv[3] || path.join(__dirname, '..', '..', 'docs', 'backstage-plugin.png'),
);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PORT = 9333;
const READY = process.env.READY_TEXT || 'Migrations on acme/charlie';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function until(what, check, seconds) {
  for (let waited = 0; waited < seconds * 2; waited++) {
    const value = await check().catch(() => undefined);
    if (value) {
      return value;
    }
    await sleep(500);
  }
  throw new Error(`gave up after ${seconds} s waiting for ${what}`);
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-shot-'));
  const chromium = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--window-size=1440,960',
      `--remote-debugging-port=${PORT}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  try {
    const target = await until(
      'Chromium',
      async () => {
        const targets = await (await fetch(`http://127.0.0.1:${PORT}/json/list`)).json();
        return targets.find(t => t.type === 'page');
      },
      60,
    );
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    let next = 0;
    const pending = new Map();
    socket.on('message', data => {
      const message = JSON.parse(data.toString());
      if (message.id && pending.has(message.id)) {
        pending.get(message.id)(message);
        pending.delete(message.id);
      }
    });
    const send = (method, params = {}) =>
      new Promise(resolve => {
        const id = ++next;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      });
    const evaluate = async expression =>
      (await send('Runtime.evaluate', { expression, returnByValue: true })).result?.result?.value;

    await send('Page.navigate', { url: `${APP}/` });
    await until('the dev app', () => evaluate('document.readyState === "complete"'), 120);
    await evaluate(`localStorage.setItem('enableLegacyGuestToken', 'true');
      localStorage.setItem('@backstage/core:SignInPage:provider', 'guest'); true`);
    await send('Page.navigate', { url: `${APP}${PAGE}` });
    await until(
      `"${READY}" on ${PAGE}`,
      () => evaluate(`document.body.innerText.includes(${JSON.stringify(READY)})`),
      180,
    );
    await sleep(1500); // the table's fonts and the sidebar's transition settle
    const shot = await send('Page.captureScreenshot', { format: 'png' });
    fs.writeFileSync(OUT, Buffer.from(shot.result.data, 'base64'));
    console.log(`wrote ${OUT}`);
    socket.close();
  } finally {
    const exited = new Promise(resolve => chromium.once('exit', resolve));
    chromium.kill();
    await exited;
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

main().catch(error => {
  console.error(error.message);
  process.exit(1);
});
