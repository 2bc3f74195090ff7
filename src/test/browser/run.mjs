// Drives Debian's Chromium through the test pages with playwright-core, for BrowserAnalyticsTest.
//
//   node run.mjs <site origin> <gateway origin> <write key> <work dir>
//
// Never downloads a browser: it runs /usr/bin/chromium (or $CHROMIUM) with a fresh profile in <work dir>.
// Chromium's own network log (--log-net-log) records every request the browser makes, including the beacon and
// the keepalive fetch sent while a page goes away, which no page-level hook sees; host names other than
// 127.0.0.1 resolve to nothing (--host-resolver-rules), so nothing can leave the machine whatever asks.
//
// Protocol on stdout, one JSON object per line:
//   {"phase":"unloaded", userAgent, userId, anonymousId}   the pages are done and the last one was left;
//       the caller then waits for what it expects and closes our stdin
//   {"phase":"report", requests, console, errors}          after the browser closed: every URL request from the
//       network log, as {id, method, url, initiator, isolationKey, status, fromCache, netError, requestHeaders}
//   {"phase":"failed", error, console, errors}             instead, when a page failed
// Environment: CHROMIUM (default /usr/bin/chromium), BROWSER_TEST_BUDGET_MS (40000), RUN_MJS_KEEP_NETLOG (a path
// to copy Chromium's whole network log to, for a reader of a failure).
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const [siteOrigin, gatewayOrigin, writeKey, workDir] = process.argv.slice(2);
if (!workDir) {
  console.error('usage: node run.mjs <site origin> <gateway origin> <write key> <work dir>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const budgetMs = Number(process.env.BROWSER_TEST_BUDGET_MS || 40000);
const deadline = Date.now() + budgetMs;
const netLog = join(workDir, 'netlog.json');
const profile = join(workDir, 'profile');
mkdirSync(profile, { recursive: true });
const log = (...args) => console.error('[run.mjs]', ...args);
const emit = (object) => process.stdout.write(JSON.stringify(object) + '\n');
const left = () => Math.max(1000, deadline - Date.now());

const consoleLines = [];
const errors = [];
log('launching', executablePath);
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    `--log-net-log=${netLog}`],
  timeout: 15000,
});
let failure = null;
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => errors.push(String(error)));
  const query = `?gateway=${encodeURIComponent(gatewayOrigin)}&writeKey=${encodeURIComponent(writeKey)}`;
  const step = async (path) => {
    log('opening', path);
    await page.goto(siteOrigin + path + query, { timeout: left() });
    await page.waitForFunction(() => window.testState && (window.testState.done || window.testState.error),
      null, { timeout: left(), polling: 50 });
    const state = await page.evaluate(() => window.testState);
    if (state.error) throw new Error(`${path}: ${state.error}`);
    return state;
  };

  const shop = await step('/shop.html');
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await step('/checkout.html'); // leaving the shop sends its beacon
  log('leaving the checkout');
  await page.goto(siteOrigin + '/bye.html', { timeout: left() }); // leaving the checkout sends its batch
  emit({ phase: 'unloaded', userAgent, userId: shop.userId, anonymousId: shop.anonymousId });

  // The caller closes our stdin once the gateway got what it expects (or gives up).
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, left());
    process.stdin.on('end', () => { clearTimeout(timer); resolve(); });
    process.stdin.on('error', () => { clearTimeout(timer); resolve(); });
    process.stdin.resume();
  });
} catch (e) {
  failure = String(e && e.stack || e);
} finally {
  await context.close(); // Chromium finishes its network log as it exits
}
if (process.env.RUN_MJS_KEEP_NETLOG) copyFileSync(netLog, process.env.RUN_MJS_KEEP_NETLOG);
if (failure) {
  emit({ phase: 'failed', error: failure, console: consoleLines, errors });
} else {
  emit({ phase: 'report', requests: urlRequests(netLog), console: consoleLines, errors });
}
process.exit(0);

/** Every URL request in Chromium's network log (one event per line after the constants). */
function urlRequests(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const constants = JSON.parse(lines[0].replace(/^\{"constants":/, '').replace(/,\s*$/, ''));
  const type = Object.fromEntries(Object.entries(constants.logEventTypes).map(([k, v]) => [v, k]));
  const sourceType = Object.fromEntries(Object.entries(constants.logSourceType).map(([k, v]) => [v, k]));
  const requests = new Map();
  for (const line of lines.slice(1)) {
    if (!line.startsWith('{')) continue;
    let event;
    try {
      event = JSON.parse(line.replace(/,\s*$/, ''));
    } catch {
      continue; // the last line of a log cut short
    }
    if (sourceType[event.source.type] !== 'URL_REQUEST') continue;
    const id = event.source.id;
    const request = requests.get(id) ?? { id, method: null, url: null, initiator: null, isolationKey: null,
      status: null, fromCache: false, netError: null, requestHeaders: [] };
    requests.set(id, request);
    const params = event.params ?? {};
    switch (type[event.type]) {
      case 'URL_REQUEST_START_JOB':
        if (params.url) {
          Object.assign(request, { method: params.method, url: params.url, initiator: params.initiator,
            isolationKey: params.network_isolation_key });
        }
        break;
      case 'REQUEST_ALIVE':
        if (params.url && !request.url) request.url = params.url;
        if (params.net_error) request.netError = params.net_error;
        break;
      case 'CORS_REQUEST':
        if (params.request_headers?.headers) request.requestHeaders = params.request_headers.headers;
        break;
      case 'HTTP_CACHE_READ_INFO': // answered from the browser's HTTP cache, no request sent
        request.fromCache = true;
        break;
      case 'HTTP_TRANSACTION_READ_RESPONSE_HEADERS':
        if (params.headers?.length) request.status = Number(String(params.headers[0]).split(' ')[1]);
        break;
      default:
        if (params.net_error) request.netError = params.net_error;
    }
  }
  return [...requests.values()].filter((r) => r.url);
}
