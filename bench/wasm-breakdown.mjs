// Where the widget's wasm bytes go, by crate and by function, with twiggy
// (`cargo install twiggy --locked`). Run after `trunk build --release`:
//
//   node bench/wasm-breakdown.mjs [wasm-bindgen output] [rows]
//
// Trunk's wasm-opt drops the function names, so this optimises wasm-bindgen's
// output (target/wasm-bindgen/release/cart-widget_bg.wasm, names kept) again
// with the same `-Os --low-memory-unused` (index.html) plus `-g`: the same code,
// with names, for twiggy.
// Sizes are raw bytes of code and data (the names section is left out); as a
// rule of thumb, brotli makes each byte about a third of a byte.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const input = process.argv[2] ?? "target/wasm-bindgen/release/cart-widget_bg.wasm";
const rows = Number(process.argv[3] ?? 25);
const dir = mkdtempSync(join(tmpdir(), "wasm-breakdown-"));
const named = join(dir, "named.wasm");
const features = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "reference-types", "multivalue", "mutable-globals"];
const env = { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}` };
try {
  execFileSync("wasm-opt", ["-Os", "--low-memory-unused", "-g", ...features.map((f) => `--enable-${f}`), input, "-o", named], { env, stdio: "inherit" });
  const items = JSON.parse(execFileSync("twiggy", ["top", "-n", "1000000", "-f", "json", named], { encoding: "utf8", maxBuffer: 1 << 28 }));
  const code = items.filter((item) => !item.name.startsWith('"') && !item.name.startsWith("custom section"));
  const total = code.reduce((sum, item) => sum + item.shallow_size, 0);

  // First matching rule wins: a generic function is counted where its code
  // comes from (serde_json's deserializer monomorphised for a widget type
  // counts as serde_json).
  const groups = [
    [/^data segment/, "data (.rodata: strings, tables)"],
    [/cart_wire::estimate/, "cart-wire: estimate types (serde derive)"],
    [/cart_wire::cart/, "cart-wire: cart types (serde derive)"],
    [/cart_wire/, "cart-wire: other"],
    [/serde_json/, "serde_json (monomorphised)"],
    [/serde/, "serde (monomorphised)"],
    [/^cart_widget::components|__component_/, "widget: components (view code)"],
    [/^cart_widget::state|CartState/, "widget: state"],
    [/^cart_widget::api|CartApi/, "widget: api"],
    [/cart_widget/, "widget: other"],
    [/drop_in_place/, "drop glue (mostly view state types)"],
    [/tachys|leptos|reactive_graph|any_spawner|or_poisoned|slotmap|send_wrapper|throw_error/, "leptos (tachys, reactive_graph)"],
    [/gloo/, "gloo-net"],
    [/futures/, "futures, wasm-bindgen-futures"],
    [/wasm_bindgen|js_sys|web_sys|externref|__wbindgen|__wbg/, "wasm-bindgen, js-sys, web-sys"],
    [/dlmalloc/, "allocator (dlmalloc)"],
    [/fmt|Formatter|Display|Debug|panic|console_error_panic_hook/, "formatting and panics"],
    [/f64|zmij|dec2flt|flt2dec/, "float parsing and printing"],
    [/indexmap|hashbrown|btree|BTreeMap/i, "collections (indexmap, hashbrown, BTreeMap)"],
    [/core::|alloc::|std::|core\[|alloc\[|std\[|compiler_builtins|mem(cpy|set|move|cmp)/, "core, alloc, std"],
  ];
  const byGroup = new Map();
  for (const item of code) {
    const group = groups.find(([pattern]) => pattern.test(item.name))?.[1] ?? "other";
    byGroup.set(group, (byGroup.get(group) ?? 0) + item.shallow_size);
  }
  const pct = (bytes) => `${((100 * bytes) / total).toFixed(1).padStart(5)} %`;
  const kb = (bytes) => `${(bytes / 1000).toFixed(1).padStart(7)} KB`;
  console.log(`${input}: ${kb(total).trim()} of code and data (names left out)\n`);
  console.log("by origin");
  for (const [group, bytes] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`  ${kb(bytes)} ${pct(bytes)}  ${group}`);
  console.log(`\nlargest ${rows} items`);
  for (const item of code.sort((a, b) => b.shallow_size - a.shallow_size).slice(0, rows)) {
    console.log(`  ${kb(item.shallow_size)} ${pct(item.shallow_size)}  ${item.name.replace(/::h[0-9a-f]{16}$/, "").slice(0, 140)}`);
  }
  console.log("\nwhat keeps the most alive (twiggy dominators, retained bytes):");
  console.log(execFileSync("twiggy", ["dominators", "-d", "3", "-r", "14", named], { encoding: "utf8" }).split("\n").slice(0, 16).join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
