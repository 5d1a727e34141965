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
 * worker's query changes: the search box keeps what the reader typed.
 */
(function () {
  "use strict";
  if (!window.Worker || !window.Worker.prototype) return;

  var SETUP = 0, QUERY = 2;   // Material for MkDocs' search messages (SearchMessageType)
  var STOP = toSet("a about above after again all also am an and any are as at be because been before being between both but by can could did do does doing during each few for from further had has have having he her here how i if in into is it its itself just may me might more most must my no nor not of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with within without would you your");
  var GENERIC = toSet("client clients practice practices social work worker workers person people handbook");
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

  function rewrite(query) {
    if (!vocab || /["+\-~^:]/.test(query.replace(/(\w)-(\w)/g, "$1 $2"))) return query;  // Lunr syntax: as typed
    // Words, each marked when a hyphen joins it to the next ("self-" of "self-determination").
    var words = (query.toLowerCase().match(/[\p{L}\p{N}]+(?:-(?=[\p{L}\p{N}]))?/gu) || []).map(function (w) {
      return { text: w.replace(/-$/, ""), joined: /-$/.test(w) };
    });
    var typing = !/[\s\p{P}]$/u.test(query);   // the last word may still be half-typed
    var last = words.length ? words[words.length - 1].text : "";
    var content = words.filter(function (w) { return !STOP[w.text] && w.text.length > 2; });
    if (!content.length) content = words.filter(function (w) { return !STOP[w.text]; });
    if (!content.length) return typing && last.length > 2 ? last + "*" : "";   // "the" may become "therapy"
    var specific = content.some(function (w) { return !GENERIC[w.text]; });
    return content.map(function (w) {
      var word = w.text, weight = specific && !GENERIC[word] ? "^10" : "";
      if (word === last && typing && !vocab[word] && isPrefix(word)) return word + "*" + weight;
      var forms = variants(word);
      if (!forms) return word.length >= 5 ? word + "~1" + weight : word + "*" + weight;
      return forms.map(function (f) {
        // A short word, or the first part of a hyphenated one, is a whole word, not a prefix:
        // "act" is not "active", and the "self" of "self-determination" is not "self-esteem".
        if (f.length > 4 && !w.joined) return f + "*" + weight;
        return f + (weight || "^1") + (w.joined ? "" : " " + f + "s" + (weight || "^1"));
      }).join(" ");
    }).join(" ");
  }

  var post = window.Worker.prototype.postMessage;
  window.Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      pending = message.data.docs;   // learnt at the first query, not while the page loads
    } else if (message && message.type === QUERY && typeof message.data === "string") {
      if (pending) { learn(pending); pending = null; }
      args[0] = { type: QUERY, data: rewrite(message.data) };
    }
    return post.apply(this, args);
  };
}());
