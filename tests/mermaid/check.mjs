// Parse each Mermaid file given with Mermaid's own parser; print "OK <file>" or "INVALID <file>: <why>".
// Mermaid expects a browser, so jsdom stands in for one. Exit code 1 when any file is invalid.
import { JSDOM } from "jsdom";
import fs from "node:fs";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(fs.readFileSync(file, "utf8"));
    console.log(`OK ${file}`);
  } catch (error) {
    console.log(`INVALID ${file}: ${String(error.message || error).split("\n").slice(0, 3).join(" / ")}`);
    process.exitCode = 1;
  }
}
