// End-to-end test of `guihua demo` in a real browser (Debian's headless Chromium, driven by
// playwright-core). It walks the collection-and-publication workflow the way its users do:
//
//   1. the public portal: plan list, plan page, indicator page (screenshots);
//   2. a department editor (统计局) signs in, fills a value with source and progress note for
//      the open round, and submits it;
//   3. the planner (发改委) signs in and approves the submission;
//   4. the public indicator page shows the approved value;
//   5. a member of the public comments on the indicator; the comment is not shown until the
//      planner publishes it from the moderation queue; then it is;
//   6. the English interface and the JSON API answer.
//
// Every page runs with JavaScript disabled (the portal and the staff side must work without
// it) and every request the browser makes must go to the server under test (offline: no CDN,
// no fonts, no external requests). Screenshots of the main pages go to $GUIHUA_SHOTS
// (default target/e2e-shots).
//
// Run: GUIHUA_BIN=target/debug/guihua node tests/e2e/e2e.mjs
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = process.env.GUIHUA_BIN || path.join(root, 'target', 'debug', 'guihua');
const shots = process.env.GUIHUA_SHOTS || path.join(root, 'target', 'e2e-shots');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(cond, what) {
  if (cond) {
    console.log(`  ok   ${what}`);
  } else {
    failures += 1;
    console.log(`  FAIL ${what}`);
  }
}

/** Start `guihua demo` on a free port; resolve with its base URL once it announces it. */
function startDemo() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['demo', '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`guihua demo did not start:\n${err}`)), 60000);
    child.stderr.on('data', (chunk) => {
      err += chunk.toString();
      const m = err.match(/guihua serve: (http:\/\/[0-9.:]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`guihua demo exited (${code}):\n${err}`)));
  });
}

const { child, base } = await startDemo();
console.log(`guihua demo at ${base}`);
const browser = await chromium.launch({
  executablePath: browserPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

const foreign = [];
/** A fresh browser (cookies of its own) as one person, JavaScript off. */
async function person() {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) foreign.push(r.url());
  });
  return { context, page };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function signIn(page, name) {
  await page.goto(`${base}/login`);
  await page.fill('#name', name);
  await page.fill('#password', 'guihua-demo');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  const landed = new URL(page.url()).pathname;
  if (landed !== "/staff") console.log((await page.content()).slice(0, 3000));
  check(landed === "/staff", `${name} signs in and lands on /staff (${landed})`);
}

try {
  // 1. The public portal.
  console.log('public portal');
  const pub = await person();
  let res = await pub.page.goto(`${base}/`);
  check(res.status() === 200, 'plan list answers 200');
  const planLink = pub.page.locator('a[href^="/plans/"]').first();
  const planHref = await planLink.getAttribute('href');
  check(/^\/plans\/\d+$/.test(planHref), `plan list links a plan (${planHref})`);
  await shot(pub.page, '01-plans');
  await pub.page.goto(`${base}${planHref}`);
  check((await pub.page.locator('table').count()) > 0, 'plan page shows the indicator table');
  check((await pub.page.locator('.status').count()) > 0, 'plan page shows status labels');
  await shot(pub.page, '02-plan');

  // 2. The department editor fills in and submits.
  console.log('department editor (统计局)');
  const dept = await person();
  await signIn(dept.page, 'tongji');
  await shot(dept.page, '03-staff-department');
  const open = dept.page.locator('a[href^="/staff/submissions/"]').first();
  const submissionHref = await open.getAttribute('href');
  check(!!submissionHref, `the department sees its task (${submissionHref})`);
  await dept.page.goto(`${base}${submissionHref}`);
  // The first indicator with last year's value beside it (the form shows it to compare).
  let key = null;
  let indicatorName = null;
  let last = NaN;
  const rows = dept.page.locator('tbody tr');
  for (let i = 0; i < (await rows.count()); i += 1) {
    const r = rows.nth(i);
    const field = r.locator('input[name^="value:indicator:"]');
    if ((await field.count()) === 0) continue;
    const lastCell = (await r.locator('td.num').first().innerText()).match(/-?\d+(\.\d+)?/);
    const prev = lastCell ? parseFloat(lastCell[0]) : NaN;
    if (!Number.isFinite(prev)) continue;
    key = (await field.getAttribute('name')).slice('value:'.length);
    indicatorName = await field.getAttribute('aria-label');
    last = prev;
    break;
  }
  check(key !== null, 'the form shows an indicator with last year\'s value');
  const input = dept.page.locator(`input[name="value:${key}"]`);
  const value = (last + 0.37).toFixed(2);
  console.log(`  entering ${indicatorName} (${key}) = ${value} (last value ${last})`);
  await input.fill(value);
  await dept.page.fill(`input[name="source:${key}"]`, '2023年统计公报');
  await dept.page.fill(`textarea[name="progress:${key}"]`, '按计划推进，e2e 测试填报');
  await dept.page.check(`input[name="confirm:${key}"]`);
  await shot(dept.page, '04-submission-form');
  await Promise.all([dept.page.waitForNavigation(), dept.page.click('button[value="submit"]')]);
  check((await dept.page.locator('#state').innerText()) === '已报送', 'the submission is 已报送');
  check((await dept.page.locator('input[name^="value:"]').count()) === 0, 'a submitted form is read-only');
  await shot(dept.page, '05-submitted');

  // Another department's submission is not this editor's to open.
  const other = await dept.page.goto(`${base}${submissionHref.replace(/\d+$/, (n) => String(Number(n) + 1))}`);
  check(other.status() === 403 || other.status() === 404, `another department's submission answers ${other.status()}`);

  // 3. The planner approves.
  console.log('planner (发改委)');
  const planner = await person();
  await signIn(planner.page, 'planner');
  await shot(planner.page, '06-staff-planner');
  const roundHref = await planner.page.locator('a[href^="/staff/rounds/"]').first().getAttribute('href');
  await planner.page.goto(`${base}${roundHref}`);
  check((await planner.page.content()).includes('已报送'), 'the round status lists the submission as 已报送');
  await shot(planner.page, '07-round');
  await planner.page.goto(`${base}${submissionHref}`);
  await planner.page.fill('#note', '数据与统计公报一致');
  await Promise.all([planner.page.waitForNavigation(), planner.page.click('button[value="approve"]')]);
  check((await planner.page.locator('#state').innerText()) === '已审核', 'the submission is 已审核');

  // 3b. The other department uploads its filled workbook instead of typing.
  console.log('department editor (林业局): workbook upload');
  const forestry = await person();
  await signIn(forestry.page, 'linye');
  const theirs = await forestry.page.locator('a[href^="/staff/submissions/"]').first().getAttribute('href');
  await forestry.page.goto(`${base}${theirs}`);
  const fkey = (await forestry.page.locator('input[name^="value:indicator:"]').first().getAttribute('name')).slice('value:indicator:'.length);
  const template = await forestry.page.request.get(`${base}${theirs}/template.xlsx`);
  check(template.status() === 200 && (await template.body()).subarray(0, 2).toString() === 'PK', 'the department downloads its workbook');
  const sheet = `指标,年份,实际值,数据来源,备注\n${fkey},2023,60.5,2023年统计公报,上传填报\n${fkey},2023,不是数字,,\n`;
  await forestry.page.setInputFiles('#file', { name: '林业局填报.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  await Promise.all([forestry.page.waitForNavigation(), forestry.page.click('form[enctype="multipart/form-data"] button[type=submit]')]);
  check((await forestry.page.inputValue(`input[name="value:indicator:${fkey}"]`)) === '60.5', 'the uploaded value is in the form');
  check((await forestry.page.locator('.error').innerText()).includes('row 3'), 'the unreadable row is listed with its row number');
  check((await forestry.page.locator('#state').innerText()) === '填报中', 'nothing is submitted by the upload');
  await shot(forestry.page, '07b-upload-preview');
  await forestry.page.check(`input[name="confirm:indicator:${fkey}"]`);
  await Promise.all([forestry.page.waitForNavigation(), forestry.page.click('button[value="save"]')]);
  check((await forestry.page.locator('.notice').first().innerText()).includes('已保存'), 'the previewed values are saved');

  // 4. The public indicator page shows the value.
  console.log('public indicator page');
  const indicatorUrl = `${base}${planHref}/indicators/${key.replace(/^indicator:/, '')}`;
  res = await pub.page.goto(indicatorUrl);
  check(res.status() === 200, `indicator page ${key} answers 200`);
  const cells = await pub.page.locator('tbody tr').filter({ hasText: '2023' }).first().innerText();
  check(cells.includes(value), `the 2023 row shows the approved value ${value}: "${cells.replace(/\s+/g, ' ')}"`);
  check((await pub.page.locator('.chart svg').count()) === 1, 'the indicator page draws its chart');
  await shot(pub.page, '08-indicator');
  const csv = await pub.page.request.get(`${indicatorUrl}/data/csv`);
  check(csv.status() === 200 && (await csv.text()).includes(value), 'the CSV download has the value');

  // 5. A public comment, moderated, then shown.
  console.log('public comment');
  const words = `e2e 意见 ${Date.now()}：建议公开分年度数据`;
  await pub.page.fill('#body', words);
  await pub.page.fill('#author', '市民');
  await Promise.all([pub.page.waitForNavigation(), pub.page.click('#comments button[type=submit]')]);
  check((await pub.page.locator('.notice').count()) > 0, 'the commenter is told it awaits moderation');
  check(!(await pub.page.content()).includes(words), 'the comment is not shown before moderation');
  await planner.page.goto(`${base}/staff/comments`);
  const card = planner.page.locator('.card').filter({ hasText: words });
  check((await card.count()) === 1, 'the comment waits in the moderation queue');
  await shot(planner.page, '09-moderation');
  await Promise.all([planner.page.waitForNavigation(), card.locator('button[type=submit]').first().click()]);
  await pub.page.goto(indicatorUrl);
  check((await pub.page.content()).includes(words), 'the published comment appears under its indicator');
  await shot(pub.page, '10-indicator-commented');

  // 5b. The plan's text, where line numbers lead; a reviewer's internal remark.
  await pub.page.goto(`${base}${planHref}`);
  const lineLink = await pub.page.locator('a.line').first().getAttribute('href');
  check(/\/text#L\d+$/.test(lineLink || ''), `line numbers link to the text (${lineLink})`);
  await pub.page.goto(`${base}${lineLink}`);
  check((await pub.page.locator('.source p').count()) > 100, 'the text page lists the plan by line');
  await shot(pub.page, '10b-text');
  const reviewer = await person();
  await signIn(reviewer.page, 'renda');
  await reviewer.page.goto(`${base}/staff/plans/${planHref.split('/').pop()}/remarks`);
  await reviewer.page.fill('#body', '请在中期评估中说明约束性指标的进展');
  await Promise.all([reviewer.page.waitForNavigation(), reviewer.page.click('form[action$="/remarks"] button[type=submit]')]);
  check((await reviewer.page.content()).includes('请在中期评估中说明约束性指标的进展'), "the reviewer's remark is kept");
  await shot(reviewer.page, '10c-remarks');
  await pub.page.goto(`${base}${planHref}`);
  check(!(await pub.page.content()).includes('请在中期评估中说明约束性指标的进展'), 'an internal remark is never public');

  // 6. English and the API.
  console.log('English and API');
  await pub.page.goto(`${base}/lang/en`);
  await pub.page.goto(`${base}${planHref}`);
  check((await pub.page.locator('html').getAttribute('lang')) === 'en', 'the language switch serves English');
  await shot(pub.page, '11-plan-en');
  const api = await pub.page.request.get(`${base}/api/v1/plans`);
  const listed = await api.json();
  check(api.status() === 200 && Array.isArray(listed.plans) && listed.plans.length >= 1, 'GET /api/v1/plans lists the published plan');
  const health = await pub.page.request.get(`${base}/healthz`);
  check(health.status() === 200, 'GET /healthz answers 200');

  check(foreign.length === 0, `no request left the server (${foreign.slice(0, 3).join(', ')})`);
} catch (e) {
  failures += 1;
  console.log(`  FAIL ${e.stack || e}`);
} finally {
  await browser.close();
  child.kill();
}

console.log(failures === 0 ? 'e2e: ok' : `e2e: ${failures} failed`);
console.log(`screenshots in ${shots}`);
process.exit(failures === 0 ? 0 : 1);
