// Opens every page of a generated register site in headless Chromium (puppeteer-core, the
// browser named by BOUSSOLE_CHROMIUM) and checks each one:
// - axe-core with the WCAG 2.0/2.1 A and AA rules (the RGAA's basis) and its best practices:
//   zero violations, and at least one rule passed (else axe-core did not run);
// - every link, stylesheet and image inside the site resolves to a generated file, and every
//   #fragment to an element of its page;
// - no horizontal scroll at 320 CSS px wide, nor at 200% zoom (a 1280 px window seen at twice
//   the scale), with a full-page screenshot of each written to the artefacts folder.
// The page named last must have violations: it proves that axe-core really ran.
// Usage: node check.js PROFILE SITE ARTEFACTS BROKEN_PAGE
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const puppeteer = require("puppeteer-core");
const axe = require("axe-core");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const WIDTHS = [
  { name: "320px", viewport: { width: 320, height: 640, deviceScaleFactor: 1 } },
  { name: "zoom200", viewport: { width: 640, height: 450, deviceScaleFactor: 2 } },
];

function pages(folder) {
  const found = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...pages(full));
    else if (entry.name.endsWith(".html")) found.push(full);
  }
  return found.sort();
}

async function axeViolations(page) {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
}

async function brokenLinks(page, file) {
  const targets = await page.$$eval("a[href], link[href], img[src]", (nodes) =>
    nodes.map((node) => node.getAttribute("href") ?? node.getAttribute("src")),
  );
  const ids = new Set(await page.$$eval("[id]", (nodes) => nodes.map((node) => node.id)));
  const broken = [];
  for (const target of targets) {
    if (/^(https?:|mailto:)/.test(target)) continue;
    const [address, fragment] = target.split("#");
    if (address === "") {
      if (!ids.has(fragment)) broken.push(target);
      continue;
    }
    const resolved = path.resolve(path.dirname(file), decodeURIComponent(address));
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) broken.push(target);
  }
  return broken;
}

async function main() {
  const [profile, site, artefacts, brokenPage] = process.argv.slice(2);
  fs.mkdirSync(artefacts, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.BOUSSOLE_CHROMIUM,
    headless: true,
    args: [...FLAGS, `--user-data-dir=${profile}`],
  });
  const files = pages(site);
  let failed = 0;
  const fail = (message) => {
    failed += 1;
    console.error(`FAILED: ${message}`);
  };
  try {
    for (const file of files) {
      const name = path.relative(site, file);
      const before = failed;
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`file://${file}`, { waitUntil: "load" });
      const result = await axeViolations(page);
      if (result.passes.length === 0) fail(`${name}: axe-core checked nothing`);
      for (const v of result.violations) {
        fail(`${name}: ${v.id} (${v.impact}): ${v.help}`);
        for (const node of v.nodes) console.error(`  ${node.target.join(" ")}`);
      }
      for (const target of await brokenLinks(page, file)) fail(`${name}: broken link ${target}`);
      for (const { name: width, viewport } of WIDTHS) {
        await page.setViewport(viewport);
        await page.goto(`file://${file}`, { waitUntil: "load" });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) fail(`${name}: scrolls ${overflow} px sideways at ${width}`);
        const shot = `${name.replace(/[\\/]/g, "__").replace(/\.html$/, "")}-${width}.png`;
        await page.screenshot({ path: path.join(artefacts, shot), fullPage: true });
      }
      await page.close();
      if (failed === before) console.log(`ok: ${name}`);
    }
    const page = await browser.newPage();
    await page.goto(`file://${path.resolve(brokenPage)}`, { waitUntil: "load" });
    const control = await axeViolations(page);
    if (control.violations.length === 0) fail(`${brokenPage} passed: axe-core did not run`);
    await page.close();
  } finally {
    await browser.close();
  }
  console.log(`register site: ${files.length} pages checked, ${failed} problems`);
  process.exit(failed === 0 && files.length > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
