// Parses and validates every card JSON file of a folder with the real Adaptive Cards
// library, targeting version 1.5 (what Teams renders). Any parse event or validation
// failure is an error: the process exits 1 and names the card and the problem.
"use strict";

const fs = require("fs");
const path = require("path");
const AC = require("adaptivecards/dist/adaptivecards.js");

function check(file) {
  const json = JSON.parse(fs.readFileSync(file, "utf-8"));
  const problems = [];
  if (json.version !== "1.5") problems.push(`version ${json.version}, expected 1.5`);
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  const results = card.validateProperties();
  for (const event of results.validationEvents) {
    problems.push(`validation: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  const roundTrip = card.toJSON(context);
  if (!roundTrip || roundTrip.type !== "AdaptiveCard") problems.push("does not serialize back");
  return problems;
}

function main() {
  const folder = process.argv[2];
  const files = fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0) {
    console.error(`no card in ${folder}`);
    process.exit(1);
  }
  let failed = 0;
  for (const name of files) {
    const problems = check(path.join(folder, name));
    if (problems.length) {
      failed++;
      for (const problem of problems) console.error(`${name}: ${problem}`);
    }
  }
  const passed = files.length - failed;
  const version = require("adaptivecards/package.json").version;
  console.log(`adaptivecards ${version}, Adaptive Cards 1.5:`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
