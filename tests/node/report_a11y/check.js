// Opens each HTML report given on the command line in headless Chromium (puppeteer-core, the
// browser named by BOUSSOLE_CHROMIUM) and runs axe-core with the WCAG 2.0/2.1 A and AA rules,
// the basis of the RGAA, and its best practices (headings in order, one main landmark); no
// heading may repeat another. Prints every violation; exits 1 if any page but broken.html has one,
// or if broken.html has none (then axe-core did not really run).
"use strict";
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

async function main() {
  const [profile, ...files] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.BOUSSOLE_CHROMIUM,
    headless: true,
    args: [...FLAGS, `--user-data-dir=${profile}`],
  });
  let failed = 0;
  try {
    for (const file of files) {
      const page = await browser.newPage();
      await page.goto(`file://${path.resolve(file)}`, { waitUntil: "load" });
      await page.addScriptTag({ content: axe.source });
      const result = await page.evaluate(() =>
        window.axe.run(document, {
          runOnly: {
            type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
          },
        }),
      );
      const headings = await page.$$eval("h1, h2, h3, h4, h5, h6", (nodes) =>
        nodes.map((node) => node.textContent.trim()),
      );
      await page.close();
      const repeated = headings.filter((text, i) => headings.indexOf(text) !== i);
      if (repeated.length > 0) {
        result.violations.push({
          id: "repeated-heading",
          impact: "moderate",
          help: `headings repeated: ${repeated.join(" | ")}`,
          nodes: [],
        });
      }
      const name = path.basename(file);
      const violations = result.violations;
      if (name === "broken.html") {
        if (violations.length === 0) {
          failed += 1;
          console.error(`FAILED: ${name} passed: axe-core did not run`);
        } else {
          console.log(`ok: ${name} is refused (${violations.map((v) => v.id).join(", ")})`);
        }
        continue;
      }
      if (result.passes.length === 0) {
        failed += 1;
        console.error(`FAILED: ${name}: axe-core checked nothing`);
      } else if (violations.length > 0) {
        failed += 1;
        for (const v of violations) {
          console.error(`FAILED: ${name}: ${v.id} (${v.impact}): ${v.help}`);
          for (const node of v.nodes) console.error(`  ${node.target.join(" ")}`);
        }
      } else {
        console.log(`ok: ${name}: no violation (${result.passes.length} rules passed)`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`report accessibility: ${files.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
