/*
 * The handbook's own scripts, in one file so that a page makes one request for them, not four.
 * Deferred (mkdocs.yml): nothing here is needed before the page is first drawn. Each part is
 * independent, works by event delegation (so it costs nothing per link as a page loads, and
 * would keep working across Material's instant navigation) and leaves the page as it was when
 * JavaScript is off:
 *
 * 1. Glossary definitions in place (WCAG 2.2, 1.4.13).
 * 2. "Cite this page" and "Reuse this page": copy buttons.
 * 3. Accessibility gaps in Material's own markup.
 * 4. Search that finds what a student means.
 */

/* ---------------------------------------------------------------- glossary */
/*
 * Glossary definitions in place (WCAG 2.2, success criterion 1.4.13).
 *
 * Each term link (a.hb-term) is described, through aria-describedby, by a definition
 * generated at the end of the page (span.hb-tip in div.hb-defs). This script shows that
 * definition next to the link on hover and on keyboard focus, keeps it open while the
 * pointer moves onto it, closes it with Escape, and opens it with a first tap on a touch
 * screen (a second tap follows the link). Without JavaScript the link leads to the entry.
 * Event delegation: nothing is done per link as the page loads.
 */
(function () {
  "use strict";
  var openTip = null, openLink = null, closeTimer = null, lastPointer = "mouse", openBeforeTap = false;

  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function position(link, tip) {
    var box = tip.offsetParent || document.body;
    var frame = box.getBoundingClientRect();
    var rect = link.getBoundingClientRect();
    var width = Math.min(352, frame.width - 16);
    tip.style.maxWidth = width + "px";
    var left = rect.left - frame.left;
    if (left + tip.offsetWidth > frame.width - 8) left = Math.max(8, frame.width - tip.offsetWidth - 8);
    var below = rect.bottom - frame.top + 6;
    var above = rect.top - frame.top - tip.offsetHeight - 6;
    var fitsBelow = rect.bottom + tip.offsetHeight + 12 < window.innerHeight;
    tip.style.left = left + "px";
    tip.style.top = (fitsBelow || above < 0 ? below : above) + "px";
  }

  function open(link) {
    var tip = tipFor(link);
    if (!tip) return;
    cancelClose();
    if (openTip && openTip !== tip) close();
    var defs = tip.closest(".hb-defs");
    if (defs) defs.hidden = false;
    var more = tip.querySelector(".hb-tip__more");
    if (more) more.href = link.href;
    tip.classList.add("is-open");
    openTip = tip; openLink = link;
    link.setAttribute("aria-expanded", "true");
    position(link, tip);
  }

  function close() {
    cancelClose();
    if (openTip) openTip.classList.remove("is-open");
    if (openLink) openLink.removeAttribute("aria-expanded");
    openTip = null; openLink = null;
  }

  function scheduleClose() {
    cancelClose();
    closeTimer = window.setTimeout(close, 300);
  }

  function cancelClose() {
    if (closeTimer) window.clearTimeout(closeTimer);
    closeTimer = null;
  }

  function termLink(target) {
    return target && target.closest ? target.closest("a.hb-term") : null;
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    // Was this term's definition already showing before this tap (the tap itself focuses the link)?
    openBeforeTap = !!openLink && openLink === termLink(event.target);
  }, true);

  document.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link && lastPointer !== "touch") { open(link); return; }
    if (openTip && event.target.closest && event.target.closest(".hb-tip") === openTip) cancelClose();
  });

  document.addEventListener("mouseout", function (event) {
    if (!openTip || lastPointer === "touch") return;
    var from = event.target, to = event.relatedTarget;
    var leaving = termLink(from) === openLink || (from.closest && from.closest(".hb-tip") === openTip);
    var staying = to && ((to.closest && to.closest(".hb-tip") === openTip) || termLink(to) === openLink);
    if (leaving && !staying && document.activeElement !== openLink) scheduleClose();
  });

  document.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) open(link);
  });

  document.addEventListener("focusout", function (event) {
    if (termLink(event.target) === openLink) scheduleClose();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openTip) {
      close();
      event.stopPropagation();
    }
  }, true);

  // Capture on window, before Material's instant navigation sees the click.
  window.addEventListener("click", function (event) {
    var link = termLink(event.target);
    if (link && lastPointer === "touch" && !openBeforeTap) {
      event.preventDefault();  // first tap shows the definition; a second tap follows the link
      event.stopPropagation();
      open(link);
      return;
    }
    if (openTip && !link && !(event.target.closest && event.target.closest(".hb-tip"))) close();
  }, true);

  window.addEventListener("resize", function () { if (openLink) position(openLink, openTip); });
  if (window.document$) window.document$.subscribe(close);  // Material's instant navigation
})();

/* ---------------------------------------------------------------- cite */
/*
 * "Cite this page" and "Reuse this page": copy buttons. The buttons are hidden in the HTML and shown here, so a
 * reader without JavaScript sees the citations as text to select, not buttons that fail.
 * Copies the citation as formatted text (italics kept where the target accepts it) and
 * as plain text, and says so in a live region for screen readers.
 */
(function () {
  "use strict";

  function enhance() {
    document.querySelectorAll(".hb-copy[hidden]").forEach(function (button) { button.hidden = false; });
  }

  function announce(box, message) {
    var status = box && box.querySelector(".hb-copy-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(source) {
    var plain = source.getAttribute("data-plain") || source.textContent;
    if (navigator.clipboard && window.ClipboardItem && window.isSecureContext) {
      var item = new ClipboardItem({
        "text/plain": new Blob([plain], { type: "text/plain" }),
        "text/html": new Blob([source.innerHTML], { type: "text/html" })
      });
      return navigator.clipboard.write([item]).catch(function () { return navigator.clipboard.writeText(plain); });
    }
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(plain);
    return fallbackCopy(plain);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".hb-copy");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var box = button.closest(".hb-cite-box");
    var label = document.getElementById(button.getAttribute("aria-describedby"));
    var name = label ? label.textContent.trim() : "Citation";
    var done = button.getAttribute("data-copied") || name + " citation copied to the clipboard.";
    copy(source).then(function () {
      button.textContent = "Copied";
      announce(box, done);
      window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }, function () {
      announce(box, button.hasAttribute("data-copied") ? "Could not copy. Select the text and copy it by hand."
        : "Could not copy. Select the " + name + " citation and copy it by hand.");
    });
  });

  if (window.document$) window.document$.subscribe(enhance); else document.addEventListener("DOMContentLoaded", enhance);
})();

/* ---------------------------------------------------------------- a11y */
/*
 * Accessibility gaps in Material for MkDocs' own markup, mended in one place.
 *
 * 1. The light/dark/system toggle is a set of visually hidden radio inputs behind
 *    labels; the focus landed on an invisible input named after the *next* scheme, and
 *    the labels themselves cannot be focused. A real button stands in for the labels:
 *    focusable, named by the label's title, operated by Enter or Space, and it keeps
 *    focus after the scheme changes. It switches the scheme itself (Material's palette
 *    script is not mounted: overrides/partials/palette.html).
 * 2. The search dialog and the primary navigation get names of their own, so screen
 *    readers can tell the landmarks apart (axe: aria-dialog-name, landmark-unique).
 * 3. The skip link moves the keyboard focus to the content, not only the view: the link is
 *    handled here, before Material sees it (its instant navigation, when it was on, fetched
 *    the page again and sent the focus back to the top).
 */
(function () {
  "use strict";

  // The scheme toggle. Material's markup and stored choice (__palette), switched here instead of by
  // Material's script (overrides/partials/palette.html says why); hb-early.html stored the first
  // choice and the color-scheme meta element before the page was drawn, so at load nothing changes.
  var SYSTEM = "(prefers-color-scheme)", light = window.matchMedia("(prefers-color-scheme: light)");

  function storedIndex(count) {
    var stored = window.__md_get ? window.__md_get("__palette") : null;
    var index = stored && typeof stored.index === "number" ? stored.index : 0;
    return Math.max(0, Math.min(index, count - 1));
  }

  function colourOf(form, input) {
    var color = {}, from = input;
    if (input.getAttribute("data-md-color-media") === SYSTEM) {
      from = form.querySelector(light.matches ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']") || input;
    }
    ["scheme", "primary", "accent"].forEach(function (key) { color[key] = from.getAttribute("data-md-color-" + key); });
    color.media = input.getAttribute("data-md-color-media");
    return color;
  }

  function applyScheme(form, index, switching) {
    var inputs = form.querySelectorAll("input.md-option"), body = document.body;
    var color = colourOf(form, inputs[index]);
    // Transitions off while the colours change (handbook.css), as Material does.
    if (switching) body.setAttribute("data-md-color-switching", "");
    Object.keys(color).forEach(function (key) {   // an unchanged attribute is left alone: no restyling
      if (body.getAttribute("data-md-color-" + key) !== color[key]) body.setAttribute("data-md-color-" + key, color[key]);
    });
    for (var i = 0; i < inputs.length; i++) {
      var label = inputs[i].nextElementSibling;
      if (label instanceof HTMLLabelElement && label.hidden !== (i !== index)) label.hidden = i !== index;
    }
    if (window.__md_set) window.__md_set("__palette", { index: index, color: color });
    var meta = document.querySelector("meta[name=color-scheme]");
    var scheme = color.scheme === "slate" ? "dark" : "normal";
    if (meta && meta.content !== scheme) meta.content = scheme;
    window.requestAnimationFrame(function () {
      if (switching) body.removeAttribute("data-md-color-switching");
      themeColour();
    });
  }

  function themeColour() {   // the browser's own bar in the header's colour, as Material sets it
    var header = document.querySelector(".md-header");
    var rgb = header ? window.getComputedStyle(header).backgroundColor.match(/\d+/g) : null;
    if (!rgb) return;
    var meta = document.querySelector("meta[name=theme-color]");
    if (!meta) {
      meta = document.createElement("meta");
      meta.name = "theme-color";
      document.head.appendChild(meta);
    }
    meta.content = "#" + rgb.slice(0, 3).map(function (c) { return (+c).toString(16).padStart(2, "0"); }).join("");
  }

  function palette() {
    var form = document.querySelector("form[data-hb-palette]");
    if (!form || form.classList.contains("hb-palette-ready")) return;
    var inputs = form.querySelectorAll("input.md-option");
    var labels = Array.prototype.slice.call(form.querySelectorAll("label"));
    if (!inputs.length || !labels.length) return;
    inputs.forEach(function (input) {
      input.tabIndex = -1;
      input.setAttribute("aria-hidden", "true");
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon hb-palette";
    function sync() {
      var shown = labels.filter(function (label) { return !label.hidden; })[0] || labels[0];
      button.innerHTML = shown.innerHTML;
      button.title = shown.title;
      button.setAttribute("aria-label", shown.title);
    }
    button.addEventListener("click", function () {
      applyScheme(form, (storedIndex(inputs.length) + 1) % inputs.length, true);
      sync();
    });
    // Following the system: its change of scheme changes the page's.
    light.addEventListener("change", function () {
      if (document.body.getAttribute("data-md-color-media") === SYSTEM) applyScheme(form, storedIndex(inputs.length), true);
    });
    // Beside the form, not in it: a label's click would also check its radio input.
    form.parentNode.insertBefore(button, form.nextSibling);
    form.classList.add("hb-palette-ready");
    applyScheme(form, storedIndex(inputs.length), false);
    sync();
  }

  function names() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search the handbook");
    var primary = document.querySelector("nav.md-nav--primary");
    if (primary) primary.setAttribute("aria-label", "Site navigation");
  }

  window.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.md-skip") : null;
    var target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    if (location.hash !== link.hash) history.pushState(null, "", link.hash);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, true);

  function enhance() { palette(); names(); }
  if (window.document$) window.document$.subscribe(enhance); else document.addEventListener("DOMContentLoaded", enhance);
})();

/* ---------------------------------------------------------------- search */
/*
 * Search that finds what a student means: the query is reworded, before Material's
 * search worker sees it, into the words the handbook's index holds.
 *
 * The index is in UK English (with each page's keywords, which carry acronyms and
 * American spellings). A reader may type American spellings, drop accents, misspell a
 * word or ask a question. This script learns the index's vocabulary from the index
 * itself (the setup message Material sends its worker) and then, for every query:
 *
 * 1. drops stop words ("to", "of", "what"), which would otherwise match, as prefixes,
 *    nearly every page (Material makes every query word a prefix search);
 * 2. turns a word the index does not hold into the index's own spelling: American to
 *    British (-ize/-ise, -or/-our, -er/-re, -l-/-ll-, judgment/judgement,
 *    program/programme and the like, only where the British form is in the index),
 *    a word without accents into the accented one ("Fluckiger" to "Flückiger"), a
 *    plural into its singular, "nonjudgmental" into "judgemental"; both spellings are
 *    searched when the index holds both (a book title may be American);
 * 3. searches a word it still cannot place with one typo allowed ("boundries");
 * 4. weights the words that say what the question is about above the handbook's own
 *    subject ("client", "centred", "practice", "social work"), which every page shares.
 *
 * Material's worker does the rest (Lunr, with the weights set in mkdocs.yml). Only the
 * worker's query changes: the search box keeps what the reader typed. Its answer is then
 * read against what the reader typed, before Material draws it:
 *
 * 5. among the pages found, those about the query come first (a phrase typed in quotation
 *    marks is on the page; every word is in the page's title; or in one of its keywords);
 * 6. a result is marked "Missing" only for a word the reader typed that it does not hold
 *    (Material marked the reworded query's own terms: "cares" on every page about care);
 * 7. when no page holds every word, a status line says so before the closest matches.
 */
(function () {
  "use strict";
  if (!window.Worker || !window.Worker.prototype) return;

  var SETUP = 0, QUERY = 2;   // Material for MkDocs' search messages (SearchMessageType)
  var STOP = toSet("a about above after again all also am an and any are as at be because been before being between both but by can could did do does doing during each few for from further had has have having he her here how i if in into is it its itself just may me might more most must my no nor not of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with within without would you your");
  var GENERIC = toSet("client clients centred centered centre center practice practices social work worker workers person people handbook");
  var vocab = null, accents = null, sorted = null, pending = null;

  function toSet(words) {
    var set = Object.create(null);
    words.split(" ").forEach(function (w) { set[w] = true; });
    return set;
  }

  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function learn(docs) {
    vocab = Object.create(null); accents = Object.create(null);
    docs.forEach(function (doc) {
      var text = [doc.title, doc.text].concat(doc.tags || []).join(" ").replace(/<[^>]*>/g, " ");
      text.toLowerCase().split(/[^\p{L}\p{N}]+/u).forEach(function (word) {
        if (!word || vocab[word]) return;
        vocab[word] = true;
        var plain = fold(word);
        if (plain !== word) (accents[plain] = accents[plain] || []).push(word);
      });
    });
    sorted = Object.keys(vocab).sort();
  }

  function isPrefix(term) {   // binary search: is some word of the index this term's continuation?
    var lo = 0, hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < term) lo = mid + 1; else hi = mid;
    }
    return lo < sorted.length && sorted[lo].indexOf(term) === 0;
  }

  // American to British, each rule one step; a candidate counts only if the index holds it.
  var RULES = [
    [/iz/g, "is"], [/yz/g, "ys"],                                  // organization, analyze
    [/or(?=s?$|al|ally|ed|ing|ful|ite|able|less)/g, "our"],        // behavior, favorable, honoring
    [/([bt])er(?=s?$)/g, "$1re"], [/tered$/, "tred"],          // center, fiber, centered
    [/([aeiou])l(?=ing$|ed$|er$|ers$|or$|ors$)/g, "$1ll"],          // counseling, counselor, modeled
    [/ll(?=ment|ful)/g, "l"], [/ll$/, "l"],                          // enrollment, skillful, fulfill
    [/gment/g, "gement"],                                          // judgment, acknowledgment
    [/^program(s?)$/, "programme$1"], [/og$/, "ogue"],             // program, dialog
    [/ense$/, "ence"], [/aging$/, "ageing"],                       // defense, license, aging
    [/cing$/, "sing"], [/ced$/, "sed"],                            // practicing, practiced
    [/^(?:non|anti|co|self)(?=\w{4})/, ""],                        // nonjudgmental, coproduction
    [/ies$/, "y"], [/s$/, ""]                                      // plurals
  ];

  function variants(term) {
    if (vocab[term]) {
      var british = spell(term, 1).filter(function (w) { return w !== term; });
      return [term].concat(british.slice(0, 1));
    }
    var plain = fold(term);
    if (accents[plain]) return accents[plain].slice(0, 3);
    if (vocab[plain]) return [plain];
    var found = spell(plain, 2);
    return found.length ? found.slice(0, 2) : null;
  }

  function spell(term, depth) {
    var level = [term], seen = {}, found = [];
    seen[term] = true;
    for (var d = 0; d < depth && !found.length; d++) {
      var next = [];
      level.forEach(function (word) {
        RULES.forEach(function (rule) {
          var candidate = word.replace(rule[0], rule[1]);
          if (candidate === word || seen[candidate] || candidate.length < 3) return;
          seen[candidate] = true;
          if (vocab[candidate]) found.push(candidate); else next.push(candidate);
        });
      });
      level = next;
    }
    return found;
  }

  // One entry per word the reader typed that reaches the worker: the forms searched for it
  // (each a prefix, or an exact word and its plural) or, for a word the index does not hold,
  // the word with one typo allowed. Results are read against these (see mend, below).
  function analyse(query) {
    if (!vocab || /["+\-~^:]/.test(query.replace(/(\w)-(\w)/g, "$1 $2"))) return null;  // Lunr syntax: as typed
    // Words, each marked when a hyphen joins it to the next ("self-" of "self-determination").
    var words = (query.toLowerCase().match(/[\p{L}\p{N}]+(?:-(?=[\p{L}\p{N}]))?/gu) || []).map(function (w) {
      return { text: w.replace(/-$/, ""), joined: /-$/.test(w) };
    });
    var typing = !/[\s\p{P}]$/u.test(query);   // the last word may still be half-typed
    var last = words.length ? words[words.length - 1].text : "";
    var content = words.filter(function (w) { return !STOP[w.text] && w.text.length > 2; });
    if (!content.length) content = words.filter(function (w) { return !STOP[w.text]; });
    if (!content.length) {   // "the" may become "therapy"
      return typing && last.length > 2 ? [{ word: last, weight: "", forms: [{ text: last, prefix: true }] }] : [];
    }
    var specific = content.some(function (w) { return !GENERIC[w.text]; });
    return content.map(function (w) {
      var word = w.text, entry = { word: word, weight: specific && !GENERIC[word] ? "^10" : "", forms: [] };
      if (word === last && typing && !vocab[word] && isPrefix(word)) {
        entry.forms.push({ text: word, prefix: true });
        return entry;
      }
      var forms = variants(word);
      if (!forms) {
        if (word.length >= 5) entry.fuzzy = true; else entry.forms.push({ text: word, prefix: true });
        return entry;
      }
      forms.forEach(function (f) {
        // A short word, or the first part of a hyphenated one, is a whole word, not a prefix:
        // "act" is not "active", and the "self" of "self-determination" is not "self-esteem".
        entry.forms.push({ text: f, prefix: f.length > 4 && !w.joined, plural: !w.joined });
      });
      return entry;
    });
  }

  function rewrite(entries) {
    return entries.map(function (e) {
      // Every term carries a boost: Material appends "*" to a term without one, and "client**"
      // then matched nothing in its own count of the words a result holds.
      var weight = e.weight || "^1";
      if (e.fuzzy) return e.word + "~1" + weight;
      return e.forms.map(function (f) {
        if (f.prefix) return f.text + "*" + weight;
        return f.text + weight + (f.plural ? " " + f.text + "s" + weight : "");
      }).join(" ");
    }).join(" ");
  }

  // Which of the reader's words a search result holds, read from the result's own text.
  // Material marks as "Missing" each *term of the reworded query* a result lacks, so a
  // section holding "care" was told it missed "cares"; it is told instead about the words
  // the reader typed, and only about those it really lacks.
  function words(item) {
    var text = [item.title || "", item.text || ""].concat(item.tags || []).join(" ");
    return text.replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ").toLowerCase().split(/[^\p{L}\p{N}]+/u);
  }

  function oneEdit(a, b) {   // Lunr's "~1": at most one letter added, dropped or changed
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++; else if (b.length > a.length) j++; else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  function holds(entry, tokens) {   // the word of the text that answers this entry, or null
    for (var t = 0; t < tokens.length; t++) {
      var token = tokens[t];
      if (!token) continue;
      if (entry.fuzzy && oneEdit(token, entry.word)) return token;
      for (var f = 0; f < entry.forms.length; f++) {
        var form = entry.forms[f].text;
        if (entry.forms[f].prefix ? token.indexOf(form) === 0 : token === form || token === form + "s") return token;
      }
    }
    return null;
  }

  var note = null;
  function say(text) {
    if (!note) {
      var meta = document.querySelector(".md-search-result__meta");
      if (!meta) return;
      note = document.createElement("p");
      note.className = "hb-search-note";
      note.setAttribute("role", "status");   // read out when it changes (a polite live region)
      meta.parentNode.insertBefore(note, meta.nextSibling);
    }
    if (note.textContent !== text) note.textContent = text;
    note.hidden = !text;
  }

  function quoted(list) {
    var names = list.map(function (w) { return "\u201c" + w + "\u201d"; });
    return names.length > 1 ? names.slice(0, -1).join(", ") + " and " + names[names.length - 1] : names[0];
  }

  function plain(item) {
    return [item.title || "", item.text || ""].join(" ").replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ")
      .toLowerCase().split(/[^\p{L}\p{N}]+/u).join(" ");
  }

  // Lunr scores words, not pages: a section headed "reviews" outranked the page whose subject
  // is "the Munro review". Among the pages Lunr found, in its order, those that are about the
  // query come first: a phrase typed in quotation marks is in the page; then every word is in
  // the page's title; then every word is in one of the page's keywords.
  function about(group, entries, phrases) {
    var page = group.filter(function (item) { return item.location.indexOf("#") < 0; })[0] || group[0];
    var rank = 0;
    if (phrases.length) {
      var text = " " + group.map(plain).join(" ") + " ";
      if (phrases.every(function (p) { return text.indexOf(" " + p + " ") >= 0; })) rank += 4;
    }
    if (entries && entries.length) {
      var every = function (tokens) { return entries.every(function (e) { return holds(e, tokens); }); };
      if (every(words({ title: page.title }))) rank += 2;
      if ((page.tags || []).some(function (tag) { return every(words({ title: tag })); })) rank += 1;
    }
    return rank;
  }

  function mend(result, query) {
    var groups = result && Array.isArray(result.items) ? result.items : [];
    var entries = query.entries, phrases = query.phrases;
    var ranked = groups.map(function (group, i) { return { group: group, i: i, rank: about(group, entries, phrases) }; });
    ranked.sort(function (a, b) { return b.rank - a.rank || a.i - b.i; });
    ranked.forEach(function (r, i) { groups[i] = r.group; });
    // Enter opens the result with the highest score: keep the scores in the order shown.
    groups.forEach(function (group, i) {
      group.forEach(function (item) { item.score += (groups.length - i) * 1e6; });
    });
    if (!entries || !entries.length) { say(""); return; }
    var complete = false;
    groups.forEach(function (group) {
      var found = {};
      group.forEach(function (item) {
        var tokens = words(item), terms = {};
        entries.forEach(function (entry) {
          var token = holds(entry, tokens);
          terms[token || entry.word] = !!token;   // the word found is what the page then highlights
          if (token) found[entry.word] = true;
        });
        item.terms = terms;
      });
      if (entries.every(function (entry) { return found[entry.word]; })) complete = true;
    });
    say(groups.length && !complete && entries.length > 1
      ? "No page has all of " + quoted(entries.map(function (e) { return e.word; })) + ". The closest matches:"
      : "");
  }

  function phrasesOf(query) {   // what the reader put in quotation marks, straight or curly, as plain words
    var found = [], re = /["\u201c\u201d]([^"\u201c\u201d]+)["\u201c\u201d]/g, m;
    while ((m = re.exec(query))) {
      var words = m[1].toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ");
      if (words) found.push(words);
    }
    return found;
  }

  // The worker's answers are mended the moment they are first read, by Material's listener
  // (registered before this script runs, so no listener of ours could come first): the
  // answers arrive in the order the queries were sent, each read once.
  var RESULT = 3, asked = [], mended = new WeakSet();
  var data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data");
  var patched = !!(data && data.get && data.configurable);
  if (patched) {
    Object.defineProperty(MessageEvent.prototype, "data", {
      configurable: true, enumerable: data.enumerable,
      get: function () {
        var value = data.get.call(this);
        if (value && value.type === RESULT && value.data && Array.isArray(value.data.items) &&
            typeof value === "object" && !mended.has(value) && asked.length) {
          mended.add(value);
          mend(value.data, asked.shift());
        }
        return value;
      }
    });
  }
  var post = window.Worker.prototype.postMessage;
  window.Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      pending = message.data.docs;   // learnt at the first query, not while the page loads
    } else if (message && message.type === QUERY && typeof message.data === "string") {
      if (pending) { learn(pending); pending = null; }
      var entries = analyse(message.data);
      if (patched) asked.push({ entries: entries, phrases: phrasesOf(message.data) });
      args[0] = { type: QUERY, data: entries ? rewrite(entries) : message.data };
    }
    return post.apply(this, args);
  };
}());

