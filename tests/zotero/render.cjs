// Render CSL-JSON items as Zotero does: with citeproc-js, the CSL processor inside Zotero.
//
// Reads JSON from stdin: {"items": [CSL-JSON item, ...], "styles": {"apa": [csl file, locale], ...},
// "locales": directory of locales-xx-XX.xml}. Writes {"apa": ["reference", ...], ...} with one plain
// text reference per item, in the order given.
"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const [name, [file, locale]] of Object.entries(input.styles)) {
	const byId = new Map(input.items.map((item) => [item.id, item]));
	const sys = {
		retrieveLocale: (lang) => {
			const where = path.join(input.locales, `locales-${lang}.xml`);
			return fs.existsSync(where) ? fs.readFileSync(where, "utf8") : null;
		},
		retrieveItem: (id) => byId.get(id),
	};
	const engine = new CSL.Engine(sys, fs.readFileSync(file, "utf8"), locale, true);
	engine.setOutputFormat("text");
	// One item at a time, as a reference list of one: updateItems() replaces the list.
	out[name] = input.items.map((item) => {
		engine.updateItems([item.id]);
		const [, entries] = engine.makeBibliography();
		return entries.join("").trim();
	});
}
process.stdout.write(JSON.stringify(out));
